; Inno Setup 6 script for StreetLedger (街道治理台账), saved as UTF-8 with BOM for the Chinese.
; Built by `python installer/build.py` on Windows after the PyInstaller bundle passed its self-test; by hand:
;   ISCC /DAppVersion=0.1.0 /DSourceDir=..\dist\StreetLedger installer\streetledger.iss
;
; - per-user install without administrator rights by default (PrivilegesRequired=lowest →
;   %LOCALAPPDATA%\Programs\StreetLedger); the wizard lets an administrator install for all users;
; - the user's data, settings, logs and backups live in %APPDATA%\StreetLedger (and Qt's
;   settings under HKCU\Software\StreetLedger): neither setup nor the uninstaller touch them;
; - the fixed AppId makes a newer setup.exe upgrade the installed copy in place.

#ifndef SourceDir
  #define SourceDir AddBackslash(SourcePath) + "..\dist\StreetLedger"
#endif
#ifndef OutputDir
  #define OutputDir AddBackslash(SourcePath) + "..\dist"
#endif
#ifndef IconFile
  #define IconFile AddBackslash(SourcePath) + "..\resources\icons\streetledger.ico"
#endif
; The version comes from the build: build.py passes app.__version__; otherwise it is read
; from the version resource PyInstaller wrote into StreetLedger.exe.
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(SourceDir + "\StreetLedger.exe", "ProductVersion")
#endif
#define NumericVersion GetVersionNumbersString(SourceDir + "\StreetLedger.exe")
#define AppName "街道治理台账"
#define ExeName "StreetLedger.exe"

[Setup]
; Never change this GUID: it is how a newer version finds the installed one.
AppId={{0A0CEC0A-E718-4E97-B773-07AA4577BE80}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=StreetLedger
VersionInfoVersion={#NumericVersion}
VersionInfoProductName={#AppName} StreetLedger
VersionInfoDescription={#AppName} 安装程序
DefaultDirName={autopf}\StreetLedger
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=StreetLedger-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#ExeName}
UninstallDisplayName={#AppName} {#AppVersion}
WizardStyle=modern
Compression=lzma2/max
SolidCompression=yes
; An open StreetLedger is closed (Restart Manager) before its files are replaced.
CloseApplications=yes
RestartApplications=no
ShowLanguageDialog=no

[Languages]
; ChineseSimplified.isl ships with Inno Setup only from recent 6.x releases; older ones have it
; as an unofficial translation to copy into the compiler's Languages folder by hand.
#if FileExists(CompilerPath + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
  #pragma message "ChineseSimplified.isl not found in " + CompilerPath + "Languages: the installer will be in English"
Name: "english"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; Upgrading: remove the previous version's bundled libraries so no stale module is left behind.
; Only the program folder; the user's data is elsewhere.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\{#ExeName}"; WorkingDir: "{app}"
; For the IT person: runs the self-test in a console window that stays open.
Name: "{group}\{#AppName} 自检"; Filename: "{cmd}"; Parameters: "/k """"{app}\StreetLedger-debug.exe"" self-test"""; WorkingDir: "{app}"; IconFilename: "{app}\{#ExeName}"
Name: "{group}\卸载{#AppName}"; Filename: "{uninstallexe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#ExeName}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#ExeName}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Files the program may leave in its own folder (never the data folder).
Type: filesandordirs; Name: "{app}\_internal\__pycache__"

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox('程序已卸载。您的台账数据、备份和日志仍保留在：' + #13#10 +
           ExpandConstant('{userappdata}\StreetLedger') + #13#10 +
           '重新安装后即可继续使用；如确实不再需要，可手动删除该文件夹。',
           mbInformation, MB_OK);
end;
