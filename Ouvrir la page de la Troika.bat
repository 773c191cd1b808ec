@echo off
rem Double-click: opens the Troika page in the browser (check, build, distribution).
rem Keep this window open while using the page; its "Quitter" button or Ctrl+C stops it.
call "%~dp0scripts\lancer.bat" interface
if errorlevel 1 pause
