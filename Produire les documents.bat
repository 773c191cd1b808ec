@echo off
rem Double-click: produce the documents from the workbook in inputs\ into build\
rem (nothing is redone when nothing changed), then wait so the result can be read.
call "%~dp0scripts\lancer.bat" construire
echo.
pause
