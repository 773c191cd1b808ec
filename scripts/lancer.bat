@echo off
rem Runs `troika` with the given arguments from the tool's folder, on Windows.
rem Makes the tool's Python environment (.venv) on first use, and anew when the lock of
rem its libraries (requirements\runtime.txt) or pyproject.toml changes (compared by
rem content, not by date, with the copies kept in .venv): the exact versions of the lock,
rem checked by their hashes, as the Makefile installs them; never the test libraries.
rem Called by the launchers at the top of the folder; its exit code is troika's.
setlocal
chcp 65001 >nul
cd /d "%~dp0.."
set "VENV=.venv"
set "TROIKA=%VENV%\Scripts\troika.exe"
set "LOCK=requirements\runtime.txt"
if not exist "%TROIKA%" goto install
fc /b "%LOCK%" "%VENV%\runtime.installe" >nul 2>&1
if errorlevel 1 goto install
fc /b pyproject.toml "%VENV%\pyproject.installe" >nul 2>&1
if errorlevel 1 goto install
goto run

:install
set "PYTHON=py -3"
where py >nul 2>&1
if not errorlevel 1 goto check_version
set "PYTHON=python"
where python >nul 2>&1
if not errorlevel 1 goto check_version
echo Python est introuvable sur cet ordinateur.
echo Installez Python 3.10 ou plus récent depuis https://www.python.org/downloads/windows/
echo en cochant « Add python.exe to PATH », puis relancez.
exit /b 1

:check_version
%PYTHON% -c "import sys; sys.exit(sys.version_info < (3, 10))" >nul 2>&1
if not errorlevel 1 goto create
echo Python 3.10 ou plus récent est nécessaire : installez une version récente depuis
echo https://www.python.org/downloads/windows/ puis relancez.
exit /b 1

:create
echo Installation des bibliothèques de l'outil dans .venv (première utilisation, ou
echo après une mise à jour). Cela prend quelques minutes et demande une connexion à Internet.
%PYTHON% -m venv --clear "%VENV%"
if errorlevel 1 goto venv_failed
"%VENV%\Scripts\python.exe" -m pip install --quiet --disable-pip-version-check --upgrade pip
"%VENV%\Scripts\python.exe" -m pip install --quiet --disable-pip-version-check --require-hashes -r "%LOCK%"
if errorlevel 1 goto pip_failed
rem PYTHONWARNINGS hides setuptools' English notes on editable installs.
set "PYTHONWARNINGS=ignore"
"%VENV%\Scripts\python.exe" -m pip install --quiet --disable-pip-version-check --no-deps -e .
if errorlevel 1 goto pip_failed
set "PYTHONWARNINGS="
copy /y "%LOCK%" "%VENV%\runtime.installe" >nul
copy /y pyproject.toml "%VENV%\pyproject.installe" >nul
goto run

:venv_failed
echo Python n'a pas pu créer l'environnement .venv. Fermez les autres fenêtres de l'outil
echo (la page de la Troïka), puis relancez ; sinon, réinstallez Python 3.10 ou plus
echo récent depuis https://www.python.org/downloads/windows/ puis relancez.
exit /b 1

:pip_failed
echo L'installation des bibliothèques a échoué : la première fois (et après une mise à
echo jour), une connexion à Internet est nécessaire. Vérifiez-la, puis relancez.
exit /b 1

:run
"%TROIKA%" %*
exit /b %errorlevel%
