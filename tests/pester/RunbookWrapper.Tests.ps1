#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Unattended runs (issue 14): Invoke-NmcFirmwareUpdate under pwsh -NonInteractive refuses to prompt
# with a clear error, and examples/runbook/Invoke-NmcFleetUpdate.ps1 reports through its exit code.
# The simulated cards live in this process (on loopback); the child pwsh processes share its data folder.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:dataHome = Enter-TestHome 'securenmc-pester-wrapper'
    Import-Module (Get-TestModuleManifest) -Force -ErrorAction Stop
    $onWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    $script:pwsh = Join-Path $PSHOME $(if ($onWindows) { 'pwsh.exe' } else { 'pwsh' })
    if (-not (Test-Path -LiteralPath $script:pwsh)) { $script:pwsh = (Get-Process -Id $PID).Path }
    $script:manifest = [System.IO.Path]::GetFullPath((Get-TestModuleManifest))
    $script:wrapper = Join-Path (Get-RepositoryRoot) (Join-Path 'examples' (Join-Path 'runbook' 'Invoke-NmcFleetUpdate.ps1'))
    $script:rehearsal = New-RehearsalFleet -Count 3

    # Runs pwsh with $Arguments on this data folder; returns exit code, stdout and stderr.
    function Invoke-Child([string[]] $Arguments) {
        $name = [guid]::NewGuid().ToString('N')
        $stdout = Join-Path $TestDrive "$name.out"
        $stderr = Join-Path $TestDrive "$name.err"
        $process = Start-Process -FilePath $script:pwsh -ArgumentList $Arguments -RedirectStandardOutput $stdout -RedirectStandardError $stderr -NoNewWindow -PassThru -Wait
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            StdOut   = (Get-Content -LiteralPath $stdout -Raw) + ''
            StdErr   = (Get-Content -LiteralPath $stderr -Raw) + ''
        }
    }
    function Get-Journal { $path = Join-Path $script:dataHome (Join-Path 'Journal' 'updates.jsonl'); if (Test-Path $path) { @(Get-Content $path) } else { @() } }
}

AfterAll { Exit-TestHome $script:dataHome }

Describe 'Invoke-NmcFirmwareUpdate in a non-interactive host' {
    It 'fails with an error saying to add -Force instead of prompting, and sends nothing (<Switch>)' -ForEach @(
        @{ Switch = '-NonInteractive' }, @{ Switch = '-noni' }
    ) {
        $before = (Get-Journal).Count
        $command = "Import-Module '$($script:manifest -replace "'", "''")'; Get-NmcDevice | Invoke-NmcFirmwareUpdate"
        $run = Invoke-Child @('-NoProfile', $Switch, '-Command', $command)
        $run.ExitCode | Should -Not -Be 0
        $run.StdErr | Should -Match 'non-interactive'
        $run.StdErr | Should -Match 'Add -Force'
        $run.StdErr | Should -Not -Match 'Read and Prompt functionality'
        (Get-Journal).Count | Should -Be $before -Because 'no update run started'
        Get-NmcDevice | ForEach-Object { "$($_.Status)" | Should -Be 'Ready for Update' }
    }

    It 'tells a -Confirm caller to use -Force instead' {
        $command = "Import-Module '$($script:manifest -replace "'", "''")'; Get-NmcDevice | Invoke-NmcFirmwareUpdate -Confirm"
        $run = Invoke-Child @('-NoProfile', '-NonInteractive', '-Command', $command)
        $run.ExitCode | Should -Not -Be 0
        $run.StdErr | Should -Match 'Remove -Confirm and add -Force'
    }
}

Describe 'The wrapper script Invoke-NmcFleetUpdate.ps1' {
    It 'documents itself' {
        $help = Get-Help $script:wrapper -Full
        $help.Synopsis | Should -Match 'exit code'
        ($help.parameters.parameter.name) | Should -Contain 'AsJson'
    }

    It 'exits 1 and reports the failed card in JSON when one card fails, and 0 once all end well' {
        $cards = $script:rehearsal.Simulator
        $broken = $cards[2]
        $broken.Card.Faults.RefuseConnections = $true
        $brokenName = $broken.Name
        Get-NmcDevice | Set-NmcDevice -Site Lab -Confirm:$false
        $resultFile = Join-Path $TestDrive 'results.json'

        $run = Invoke-Child @('-NoProfile', '-NonInteractive', '-File', $script:wrapper, '-ModulePath', $script:manifest, '-Site', 'Lab', '-AsJson', '-ResultPath', $resultFile)

        $run.ExitCode | Should -Be 1
        $records = @($run.StdOut | ConvertFrom-Json)
        $records.Count | Should -Be 3
        @($records | Where-Object IsSuccess).Count | Should -Be 2
        $failed = @($records | Where-Object { -not $_.IsSuccess })
        $failed.DeviceName | Should -Be $brokenName
        $failed.Site | Should -Be 'Lab'
        $run.StdErr | Should -Match ([regex]::Escape($brokenName))
        @(Get-Content $resultFile -Raw | ConvertFrom-Json).Count | Should -Be 3

        # The card is reachable again: a second run updates it, the others are already current.
        $broken.Card.Faults.RefuseConnections = $false
        $again = Invoke-Child @('-NoProfile', '-NonInteractive', '-File', $script:wrapper, '-ModulePath', $script:manifest, '-Site', 'Lab')
        $again.StdErr | Should -BeNullOrEmpty
        $again.ExitCode | Should -Be 0
        Get-NmcDevice | ForEach-Object { $_.ApplicationVersion | Should -Be '2.9.0.1' }
    }

    It 'exits 0 with an empty JSON array for an empty share, and 2 when the update cannot run' {
        $empty = Invoke-Child @('-NoProfile', '-NonInteractive', '-File', $script:wrapper, '-ModulePath', $script:manifest, '-Site', 'Nowhere', '-AsJson')
        $empty.ExitCode | Should -Be 0
        $empty.StdOut.Trim() | Should -Be '[]' -Because 'with -AsJson, stdout is the JSON only (the warning goes to stderr)'
        $empty.StdErr | Should -Match 'nothing to update'
        $bad = Invoke-Child @('-NoProfile', '-NonInteractive', '-File', $script:wrapper, '-ModulePath', $script:manifest, '-Partition', '9/4')
        $bad.ExitCode | Should -Be 2
        $bad.StdErr | Should -Match 'k/N'
    }
}
