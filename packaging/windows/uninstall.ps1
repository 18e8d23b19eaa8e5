<#
.SYNOPSIS
  Removes KYC Desk installed by install.ps1 (run from an elevated PowerShell).

.DESCRIPTION
  Removes the program, the Start menu entry and the Settings > Apps entry.
  -RemoveFleetProfiles also deletes %ProgramData%\KYCDesk\profiles.json.
  Each user's data (%APPDATA%\KYCDesk: profiles, history) and tokens in Credential Manager
  are NOT removed here: see INSTALL.md, "Erase local data", to do that per user.
#>
[CmdletBinding()]
param(
  [string]$InstallDir = '',
  [switch]$RemoveFleetProfiles
)
$ErrorActionPreference = 'Stop'

$key = 'HKLM:\Software\Microsoft\Windows\CurrentVersion\Uninstall\KYCDesk'
if (-not $InstallDir) {
  $InstallDir = (Get-ItemProperty -Path $key -ErrorAction SilentlyContinue).InstallLocation
  if (-not $InstallDir) { $InstallDir = Join-Path $env:ProgramFiles 'KYC Desk' }
}

# Refuse to delete a folder that is not a KYC Desk installation.
if ((Test-Path $InstallDir) -and -not (Test-Path (Join-Path $InstallDir 'kycdesk.exe'))) {
  throw "$InstallDir does not look like a KYC Desk installation (no kycdesk.exe); nothing removed"
}

Get-Process -Name kycdesk -ErrorAction SilentlyContinue | Where-Object {
  $_.Path -and $_.Path.StartsWith($InstallDir, [StringComparison]::OrdinalIgnoreCase)
} | ForEach-Object { throw "KYC Desk is running (process $($_.Id)); close it first" }

Remove-Item -Force -ErrorAction SilentlyContinue -LiteralPath (Join-Path $env:ProgramData 'Microsoft\Windows\Start Menu\Programs\KYC Desk.lnk')
Remove-Item -Force -Recurse -ErrorAction SilentlyContinue -LiteralPath $key
if (Test-Path $InstallDir) { Remove-Item -Recurse -Force -LiteralPath $InstallDir }

if ($RemoveFleetProfiles) {
  Remove-Item -Force -Recurse -ErrorAction SilentlyContinue -LiteralPath (Join-Path $env:ProgramData 'KYCDesk')
}
Write-Host 'KYC Desk removed. Per-user data and tokens are kept (see INSTALL.md, "Erase local data").'
