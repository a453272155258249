; Inno Setup script: a Windows installer for the PyInstaller bundle in dist\Annotator.
;
;   pyinstaller --noconfirm --distpath dist --workpath build packaging\annotator.spec
;   iscc /DAppVersion=0.1.0 packaging\windows\annotator.iss
;
; Writes dist\Annotator-<version>-windows-x64-setup.exe. Installs per user by default (no administrator
; rights needed; the dialog offers all users), with a Start menu entry, an optional desktop icon, and an
; uninstaller. Projects and settings in %LOCALAPPDATA%\Annotator are the user's: the uninstaller leaves them.

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Annotator"
#define BundleDir "..\..\dist\Annotator"

[Setup]
; A fixed AppId: upgrades replace the installed version instead of installing a second one.
AppId={{6C1E7B52-3C8D-4D0B-9C53-0F3E2A7A5B41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The Annotator authors
AppComments=Offline annotation of news articles: entities, statements and claims
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=Annotator-{#AppVersion}-windows-x64-setup
SetupIconFile=annotator.ico
UninstallDisplayIcon={app}\Annotator.exe
LicenseFile=..\licenses\annotator\LICENSE
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole onedir bundle: Annotator.exe (the window), annotator-cli.exe (the command line and --self-test),
; _internal\ (Python, Qt, spaCy and the pipeline, resources, migrations) and licenses\.
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade must not keep modules the new version no longer ships.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\Annotator.exe"
Name: "{group}\{#AppName} licences"; Filename: "{app}\licenses"
Name: "{group}\{cm:UninstallProgram,{#AppName}}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\Annotator.exe"; Tasks: desktopicon

[Run]
Filename: "{app}\Annotator.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
