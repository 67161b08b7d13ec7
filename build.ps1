#Requires -Version 5.1
<#
.SYNOPSIS
    Builds, tests and packages the SecureNmc PowerShell module.

.DESCRIPTION
    Build    dotnet build of the solution; lays out the importable module at out/SecureNmc
             (manifest, assemblies, format file, en-US help compiled from docs/cmdlets/*.md).
    Test     Build, then every xunit project (dotnet test), then Pester when Pester 5 is installed.
    Pester   tests/pester/*.Tests.ps1 against out/SecureNmc, in a child PowerShell process.
    Package  Build, then out/SecureNmc zipped to artifacts/SecureNmc-<version>.zip.
    Clean    dotnet clean, and removes out/ and artifacts/.

.EXAMPLE
    ./build.ps1                      # Build (Release)

.EXAMPLE
    ./build.ps1 -Task Test

.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Package', 'Clean')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$repoRoot = $PSScriptRoot
$solution = Join-Path $repoRoot 'SecureNmc.PowerShell.sln'
$moduleDir = Join-Path (Join-Path $repoRoot 'out') 'SecureNmc'
$artifactsDir = Join-Path $repoRoot 'artifacts'
$pesterDir = Join-Path (Join-Path $repoRoot 'tests') 'pester'

# Runs a native command and stops the build when it fails ($ErrorActionPreference does not cover exit codes).
function Invoke-NativeCommand {
    param([string] $Command, [string[]] $Arguments)
    Write-Host "> $Command $($Arguments -join ' ')" -ForegroundColor Cyan
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "'$Command $($Arguments -join ' ')' failed with exit code $LASTEXITCODE." }
}

function Invoke-BuildTask {
    Invoke-NativeCommand 'dotnet' @('build', $solution, '-c', $Configuration, '-nologo')
    if (-not (Test-Path (Join-Path $moduleDir 'SecureNmc.psd1'))) { throw "The build did not lay out the module at $moduleDir." }
    Write-Host "Module ready: $moduleDir" -ForegroundColor Green
}

function Invoke-TestTask {
    Invoke-BuildTask
    Invoke-NativeCommand 'dotnet' @('test', $solution, '-c', $Configuration, '--no-build', '-nologo')
    Invoke-PesterTask
}

function Invoke-PesterTask {
    $pester = Get-Module -Name Pester -ListAvailable | Sort-Object -Property Version -Descending | Select-Object -First 1
    if ($null -eq $pester -or $pester.Version.Major -lt 5) {
        Write-Warning 'Pester 5 is not installed: skipping tests/pester. Install it with: Install-Module Pester -MinimumVersion 5.0 -Scope CurrentUser'
        return
    }
    if (-not (Test-Path (Join-Path $moduleDir 'SecureNmc.psd1'))) { Invoke-BuildTask }

    # A child process: a session that imported the module keeps its dlls loaded (and locked on
    # Windows), which would break the next build.
    $powershell = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module Pester -MinimumVersion 5.0
`$configuration = New-PesterConfiguration
`$configuration.Run.Path = '$($pesterDir -replace "'", "''")'
`$configuration.Run.Exit = `$true
`$configuration.Output.Verbosity = 'Detailed'
Invoke-Pester -Configuration `$configuration
"@
    Invoke-NativeCommand $powershell @('-NoProfile', '-NonInteractive', '-Command', $script)
}

function Invoke-PackageTask {
    Invoke-BuildTask
    $manifest = Import-PowerShellDataFile -Path (Join-Path $moduleDir 'SecureNmc.psd1')
    New-Item -ItemType Directory -Path $artifactsDir -Force | Out-Null
    $zip = Join-Path $artifactsDir "SecureNmc-$($manifest.ModuleVersion).zip"
    if (Test-Path $zip) { Remove-Item $zip -Force }
    # The zip holds the SecureNmc folder itself, so it unpacks straight into a $env:PSModulePath folder.
    Compress-Archive -Path $moduleDir -DestinationPath $zip
    Write-Host "Package: $zip" -ForegroundColor Green
}

function Invoke-CleanTask {
    Invoke-NativeCommand 'dotnet' @('clean', $solution, '-c', $Configuration, '-nologo')
    foreach ($folder in @((Join-Path $repoRoot 'out'), $artifactsDir)) {
        if (Test-Path $folder) { Remove-Item -Path $folder -Recurse -Force }
    }
}

foreach ($name in $Task) {
    switch ($name) {
        'Build' { Invoke-BuildTask }
        'Test' { Invoke-TestTask }
        'Pester' { Invoke-PesterTask }
        'Package' { Invoke-PackageTask }
        'Clean' { Invoke-CleanTask }
    }
}
