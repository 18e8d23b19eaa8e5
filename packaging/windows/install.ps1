<#
.SYNOPSIS
  Installs KYC Desk for all users of this PC (run from an elevated PowerShell).

.DESCRIPTION
  Copies kycdesk.exe next to this script into Program Files, adds a Start menu entry for
  all users and an entry in Settings > Apps (with the uninstaller). With -ProfilesFile it
  also deploys the fleet profiles (server addresses, never tokens) to
  %ProgramData%\KYCDesk\profiles.json. Idempotent: run it again to upgrade.

  powershell -ExecutionPolicy Bypass -File install.ps1 [-ProfilesFile fleet.json] [-InstallDir DIR]

  The token is per Windows user (Credential Manager): each clerk enters it once in the app,
  or a script run as that user pushes it with `kycdesk.exe token set` (see INSTALL.md).
#>
[CmdletBinding()]
param(
  [string]$InstallDir = (Join-Path $env:ProgramFiles 'KYC Desk'),
  [string]$ProfilesFile = ''
)
$ErrorActionPreference = 'Stop'

$principal = New-Object Security.Principal.WindowsPrincipal([Security.Principal.WindowsIdentity]::GetCurrent())
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
  throw 'Run install.ps1 from an elevated PowerShell (Run as administrator).'
}

$here = Split-Path -Parent $MyInvocation.MyCommand.Path
$exe = Join-Path $here 'kycdesk.exe'
if (-not (Test-Path $exe)) { throw "kycdesk.exe not found next to install.ps1 ($here)" }
$version = (Get-Item $exe).VersionInfo.ProductVersion

# Validate the fleet file before touching anything, so a typo never half-installs.
if ($ProfilesFile) {
  $raw = Get-Content -Raw -LiteralPath $ProfilesFile
  $fleet = $raw | ConvertFrom-Json
  if ($raw -match '"token"\s*:') {
    throw "$ProfilesFile contains a token: tokens belong in each user's Credential Manager (kycdesk.exe token set), never in a file"
  }
  if (-not $fleet.profiles) { throw "$ProfilesFile has no ""profiles"" list (see profiles.example.json)" }
}

New-Item -ItemType Directory -Force -Path $InstallDir | Out-Null
foreach ($f in 'kycdesk.exe', 'INSTALL.md', 'profiles.example.json', 'uninstall.ps1') {
  $p = Join-Path $here $f
  if (Test-Path $p) { Copy-Item -Force -LiteralPath $p -Destination $InstallDir }
}
$target = Join-Path $InstallDir 'kycdesk.exe'

if ($ProfilesFile) {
  $sysDir = Join-Path $env:ProgramData 'KYCDesk'
  New-Item -ItemType Directory -Force -Path $sysDir | Out-Null
  Copy-Item -Force -LiteralPath $ProfilesFile -Destination (Join-Path $sysDir 'profiles.json')
  Write-Host "Fleet profiles deployed to $sysDir\profiles.json"
}

# Start menu entry for all users.
$lnk = Join-Path $env:ProgramData 'Microsoft\Windows\Start Menu\Programs\KYC Desk.lnk'
$shell = New-Object -ComObject WScript.Shell
$s = $shell.CreateShortcut($lnk)
$s.TargetPath = $target
$s.WorkingDirectory = $InstallDir
$s.IconLocation = "$target,0"
$s.Description = 'KYC Desk: eKTP, liveness and ID validation'
$s.Save()

# Settings > Apps entry, so IT inventory sees the version and users can uninstall.
$key = 'HKLM:\Software\Microsoft\Windows\CurrentVersion\Uninstall\KYCDesk'
New-Item -Force -Path $key | Out-Null
$uninstall = "powershell.exe -NoProfile -ExecutionPolicy Bypass -File `"$(Join-Path $InstallDir 'uninstall.ps1')`""
$values = @{
  DisplayName = 'KYC Desk'; DisplayVersion = $version; Publisher = 'KYC Desk'
  DisplayIcon = "$target,0"; InstallLocation = $InstallDir; UninstallString = $uninstall
  NoModify = 1; NoRepair = 1
}
foreach ($k in $values.Keys) { Set-ItemProperty -Path $key -Name $k -Value $values[$k] }

Write-Host "KYC Desk $version installed in $InstallDir"
