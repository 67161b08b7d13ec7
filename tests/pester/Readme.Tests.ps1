#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The README's "A five-minute walkthrough" runs verbatim: the first ```powershell block under that
# heading is read from README.md and run from the repository root (it imports
# ./out/SecureNmc/SecureNmc.psd1 itself), so the test fails as soon as the README block breaks.
# The block picks its own data folder under the temp folder; the temp folder is pointed at a
# throwaway one for the run, and the environment and location are restored afterwards.
# Run: ./build.ps1 -Task Pester   (or: Invoke-Pester tests/pester/Readme.Tests.ps1)

BeforeAll {
    $script:repoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot (Join-Path '..' '..'))).Path

    function Get-MarkdownBlock([string[]] $lines, [string] $heading, [string] $language) {
        $start = [array]::IndexOf($lines, $heading)
        if ($start -lt 0) { throw "README.md has no heading '$heading'." }
        $open = $null
        for ($i = $start + 1; $i -lt $lines.Count; $i++) {
            if ($lines[$i].Trim() -eq ('```' + $language)) { $open = $i; break }
        }
        if ($null -eq $open) { throw "README.md has no ``````$language block after '$heading'." }
        for ($close = $open + 1; $close -lt $lines.Count; $close++) {
            if ($lines[$close].Trim() -eq '```') { return ($lines[($open + 1)..($close - 1)] -join [Environment]::NewLine) }
        }
        throw "The ``````$language block after '$heading' in README.md is not closed."
    }

    $readme = Get-Content -LiteralPath (Join-Path $script:repoRoot 'README.md')
    $script:block = Get-MarkdownBlock $readme '## A five-minute walkthrough' 'powershell'

    # Everything the run changes, to put back in AfterAll.
    $script:previousHome = $env:SECURENMC_HOME
    $script:previousTmpDir = $env:TMPDIR
    $script:previousTmp = $env:TMP
    $script:previousTemp = $env:TEMP
    $script:scratch = Join-Path ([System.IO.Path]::GetTempPath()) ('securenmc-pester-readme-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:scratch | Out-Null
    # [IO.Path]::GetTempPath() reads TMPDIR (Unix) or TMP/TEMP (Windows) on every call.
    $env:TMPDIR = $script:scratch
    $env:TMP = $script:scratch
    $env:TEMP = $script:scratch
    Push-Location -LiteralPath $script:repoRoot

    # Run the block as a user pastes it; any error stops it and is kept, every stream is captured.
    $script:output = [System.Collections.Generic.List[object]]::new()
    $script:failure = $null
    $ProgressPreference = 'SilentlyContinue'
    $ErrorActionPreference = 'Stop'
    try {
        & ([scriptblock]::Create($script:block)) *>&1 | ForEach-Object { $script:output.Add($_) }
    }
    catch {
        $script:failure = $_
    }
    finally {
        $ErrorActionPreference = 'Continue'
    }
    $script:blockDataHome = $env:SECURENMC_HOME
    $script:errors = @($script:output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
    $script:warnings = @($script:output | Where-Object { $_ -is [System.Management.Automation.WarningRecord] })
    $script:devices = @($script:output | Where-Object { $_ -is [SecureNmc.Core.Devices.NmcDevice] })
    $script:deviceIds = @($script:devices | ForEach-Object Id | Sort-Object -Unique)
}

AfterAll {
    # Whatever the block left running when it failed half-way.
    Stop-NmcLicensingSimulator -Confirm:$false -ErrorAction SilentlyContinue
    Stop-NmcSimulator -ErrorAction SilentlyContinue
    Pop-Location
    $env:SECURENMC_HOME = $script:previousHome   # the block set it
    $env:TMPDIR = $script:previousTmpDir          # $null removes a variable that was not set before
    $env:TMP = $script:previousTmp
    $env:TEMP = $script:previousTemp
    Remove-Module SecureNmc -Force -ErrorAction SilentlyContinue
    Remove-Item -LiteralPath $script:scratch -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'README: A five-minute walkthrough' {
    It 'is a PowerShell block that imports the built module and updates the simulated fleet' {
        $script:block | Should -Match ([regex]::Escape('Import-Module ./out/SecureNmc/SecureNmc.psd1'))
        $script:block | Should -Match 'Invoke-NmcFirmwareUpdate'
    }

    It 'runs to the end without any error' {
        $script:failure | Should -BeNullOrEmpty -Because "the walkthrough stopped at: $($script:failure.InvocationInfo.PositionMessage) $($script:failure)"
        $script:errors | Should -BeNullOrEmpty
    }

    It 'shows no warning (simulated cards listen on ports a card can use)' {
        ($script:warnings | ForEach-Object Message) -join [Environment]::NewLine | Should -BeNullOrEmpty
    }

    It 'worked in its throwaway data folder' {
        $script:blockDataHome | Should -Not -BeNullOrEmpty
        $script:blockDataHome.StartsWith($script:scratch) | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $script:blockDataHome 'downloads') | Should -BeTrue
    }

    It 'wrote and imported one firmware package per application type of the fleet' {
        $types = @($script:devices | ForEach-Object { "$($_.ApplicationType)" } | Sort-Object -Unique)
        $packages = @($script:output | Where-Object { $_ -is [SecureNmc.Core.Firmware.FirmwarePackage] })
        $packages.Count | Should -Be $types.Count
        @(Get-ChildItem -LiteralPath (Join-Path $script:blockDataHome 'downloads') -Filter *.nmc3).Count | Should -Be $types.Count
    }

    It 'updated every card: one result per card, each Update Complete, and the journal agrees' {
        $script:deviceIds.Count | Should -BeGreaterThan 0
        $results = @($script:output | Where-Object { $_ -is [SecureNmc.Core.Updates.CardUpdateResult] })
        $results.Count | Should -Be $script:deviceIds.Count
        $results | ForEach-Object { $_.StatusText | Should -Be 'Update Complete' -Because $_.ToString() }
        @($results | ForEach-Object DeviceId | Sort-Object -Unique) | Should -Be $script:deviceIds

        $journal = @($script:output | Where-Object { $_ -is [SecureNmc.Core.Updates.CardJournalState] })
        $journal.Count | Should -Be $script:deviceIds.Count
        $journal | ForEach-Object {
            $_.StatusText | Should -Be 'Update Complete'
            $_.Finished | Should -BeTrue
        }
    }

    It 'stops the simulators it started' {
        @(Stop-NmcSimulator -PassThru) | Should -BeNullOrEmpty
        @(Stop-NmcLicensingSimulator -PassThru -Confirm:$false) | Should -BeNullOrEmpty
    }
}
