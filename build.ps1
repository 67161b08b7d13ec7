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
    [string] $Configuration = 'Release',

    # Pester: also write the totals, "<passed> <failed>", to this file (test.sh adds them to its own).
    [string] $PesterSummaryPath
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
    # Windows), which would break the next build. The same edition runs it: powershell.exe from
    # Windows PowerShell, pwsh from PowerShell 7 (found in $PSHOME, as the current process may be a
    # host such as VS Code or dotnet).
    $powershell = Get-PowerShellExecutable
    $summary = if ($PesterSummaryPath) { [System.IO.Path]::GetFullPath($PesterSummaryPath) } else { '' }
    # The path as the inside of a single-quoted literal in the script below.
    $summaryLiteral = $summary -replace "'", "''"
    $script = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Import-Module Pester -MinimumVersion 5.0 -MaximumVersion 5.99
`$configuration = New-PesterConfiguration
`$configuration.Run.Path = '$($pesterDir -replace "'", "''")'
`$configuration.Run.PassThru = `$true
`$configuration.Output.Verbosity = 'Detailed'
`$result = Invoke-Pester -Configuration `$configuration
# A container (file) that fails outside an It, or a failed BeforeAll, fails tests that never ran:
# count those as failures too, so a broken file cannot pass as "0 failed".
`$failed = `$result.FailedCount + `$result.FailedBlocksCount + `$result.FailedContainersCount
if ('$summaryLiteral') {
    Set-Content -LiteralPath '$summaryLiteral' -Value "`$(`$result.PassedCount) `$failed"
    # The names of the failed tests beside it, so test.sh can repeat them just above its totals.
    @(`$result.Failed | ForEach-Object { "Pester failed: `$(`$_.ExpandedPath)" }) +
      @(@(`$result.FailedBlocks) + @(`$result.FailedContainers) | ForEach-Object { "Pester failed outside a test: `$(`$_.Name)" }) |
      Set-Content -LiteralPath '$summaryLiteral.failed'
}
exit ([int](`$failed -gt 0))
"@
    # -EncodedCommand (UTF-16LE, base64): Windows PowerShell 5.1 passes native arguments with line
    # breaks and quotes unreliably, so the script is never handed over as plain -Command text.
    $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($script))
    # -OutputFormat Text: when PowerShell starts PowerShell with -EncodedCommand, the child writes
    # CLIXML (<Obj S="information" ...>) unless told otherwise.
    Invoke-NativeCommand $powershell @('-NoProfile', '-NonInteractive', '-OutputFormat', 'Text', '-EncodedCommand', $encoded)
}

function Get-PowerShellExecutable {
    $names = if ($PSVersionTable.PSEdition -eq 'Desktop') { @('powershell.exe') } else { @('pwsh.exe', 'pwsh') }
    foreach ($name in $names) {
        $candidate = Join-Path $PSHOME $name
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    }
    return [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
}

function Invoke-PackageTask {
    Invoke-BuildTask
    $manifest = Import-PowerShellDataFile -Path (Join-Path $moduleDir 'SecureNmc.psd1')
    New-Item -ItemType Directory -Path $artifactsDir -Force | Out-Null
    $zip = Join-Path $artifactsDir "SecureNmc-$($manifest.ModuleVersion).zip"
    if (Test-Path $zip) { Remove-Item $zip -Force }
    # The zip holds the SecureNmc folder itself, so it unpacks straight into a $env:PSModulePath folder.
    # Not Compress-Archive: the version in Windows PowerShell 5.1 writes '\' into entry names, which
    # other unzip tools (and PowerShell 7 on Linux/macOS) turn into file names with backslashes.
    Add-Type -AssemblyName System.IO.Compression, System.IO.Compression.FileSystem
    $parent = [System.IO.Path]::GetFullPath((Split-Path -Path $moduleDir -Parent))
    $archive = [System.IO.Compression.ZipFile]::Open($zip, [System.IO.Compression.ZipArchiveMode]::Create)
    try {
        foreach ($file in Get-ChildItem -LiteralPath $moduleDir -Recurse -File) {
            $entryName = $file.FullName.Substring($parent.Length).TrimStart('\', '/').Replace('\', '/')
            [void][System.IO.Compression.ZipFileExtensions]::CreateEntryFromFile($archive, $file.FullName, $entryName, [System.IO.Compression.CompressionLevel]::Optimal)
        }
    }
    finally {
        $archive.Dispose()
    }
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
