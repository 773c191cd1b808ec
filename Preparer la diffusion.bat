@echo off
rem Double-click: prepare the distribution folder of the last build (PDF copies,
rem archives, e-mail drafts) in build\diffusion\, then wait so the result can be read.
call "%~dp0scripts\lancer.bat" diffuser
echo.
pause
