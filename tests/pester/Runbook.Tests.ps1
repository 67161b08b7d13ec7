#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The update as unattended hosts run it (Azure Automation, Ansible win_shell): a separate
# `pwsh -NonInteractive -Command` process with its output redirected must write only the result
# objects and nothing on stderr; and in a console, progress is one fleet bar with a child bar per
# active card, silent under $ProgressPreference = 'SilentlyContinue'.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:dataHome = Enter-TestHome 'securenmc-pester-runbook'
    Import-Module (Get-TestModuleManifest) -Force -ErrorAction Stop
    $onWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    $script:pwsh = Join-Path $PSHOME $(if ($onWindows) { 'pwsh.exe' } else { 'pwsh' })
    if (-not (Test-Path -LiteralPath $script:pwsh)) { $script:pwsh = (Get-Process -Id $PID).Path }

    # Runs $Script in a new pwsh -NonInteractive process with its own data folder; returns its
    # exit code, stdout and stderr. The rehearsal set-up's own output is discarded inside the script.
    function Invoke-Runbook([string] $Script, [string] $DataHome) {
        $support = Join-Path $PSScriptRoot 'TestSupport.ps1'
        $prologue = ". '$($support -replace "'", "''")'; Import-Module '$((Get-TestModuleManifest) -replace "'", "''")' -ErrorAction Stop; "
        $stdout = Join-Path $DataHome 'stdout.txt'
        $stderr = Join-Path $DataHome 'stderr.txt'
        $previous = $env:SECURENMC_HOME
        $env:SECURENMC_HOME = $DataHome
        try {
            $process = Start-Process -FilePath $script:pwsh -ArgumentList @('-NoProfile', '-NonInteractive', '-Command', ($prologue + $Script)) `
                -RedirectStandardOutput $stdout -RedirectStandardError $stderr -NoNewWindow -PassThru -Wait
        }
        finally { $env:SECURENMC_HOME = $previous }
        [pscustomobject]@{
            ExitCode = $process.ExitCode
            StdOut   = (Get-Content -LiteralPath $stdout -Raw) + ''
            StdErr   = (Get-Content -LiteralPath $stderr -Raw) + ''
        }
    }
}

AfterAll { Exit-TestHome $script:dataHome }

Describe 'The runbook form' {
    It 'emits only result objects and writes nothing on stderr, progress left at its default' {
        $runHome = Join-Path $script:dataHome 'run1'
        New-Item -ItemType Directory -Path $runHome | Out-Null
        $results = Join-Path $runHome 'results.clixml'
        $run = Invoke-Runbook -DataHome $runHome -Script (
            "New-RehearsalFleet -Count 3 *> `$null; " +
            "Get-NmcDevice | Invoke-NmcFirmwareUpdate -Force | Export-Clixml -LiteralPath '$results'")

        $run.StdErr | Should -BeNullOrEmpty
        $run.StdOut.Trim() | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0
        $objects = @(Import-Clixml -LiteralPath $results)
        $objects.Count | Should -Be 3
        $objects | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'Deserialized.SecureNmc.Core.Updates.CardUpdateResult' }
        $objects | ForEach-Object { "$($_.Status)" | Should -Be 'Update Complete' -Because 'a runbook reads the status in the SNS wording' }
    }

    It 'prints the result table and nothing else when the output goes to a file' {
        $runHome = Join-Path $script:dataHome 'run2'
        New-Item -ItemType Directory -Path $runHome | Out-Null
        $run = Invoke-Runbook -DataHome $runHome -Script (
            "`$ProgressPreference = 'SilentlyContinue'; New-RehearsalFleet -Count 2 *> `$null; " +
            "Get-NmcDevice | Invoke-NmcFirmwareUpdate -Force")

        $run.StdErr | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0
        $lines = @($run.StdOut -split "`r?`n" | Where-Object { $_.Trim() })
        # A header, its underline, and one row per card.
        $lines.Count | Should -Be 4
        ($lines | Select-String -SimpleMatch 'nmc-000').Count | Should -Be 2
    }
}

Describe 'Progress in a console' {
    BeforeAll {
        # A second runspace of this process collects the progress records a console host would draw.
        function Invoke-UpdateCollectingProgress([string] $Preference) {
            $runHome = Join-Path $script:dataHome ('progress-' + $Preference)
            New-Item -ItemType Directory -Path $runHome | Out-Null
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript(". '$((Join-Path $PSScriptRoot 'TestSupport.ps1') -replace "'", "''")'").AddStatement()
                $null = $ps.AddScript("`$env:SECURENMC_HOME = '$($runHome -replace "'", "''")'; Import-Module '$((Get-TestModuleManifest) -replace "'", "''")'").AddStatement()
                $null = $ps.AddScript("`$ProgressPreference = 'SilentlyContinue'; New-RehearsalFleet -Count 3 | Out-Null").AddStatement()
                $null = $ps.AddScript("`$ProgressPreference = '$Preference'; Get-NmcDevice | Invoke-NmcFirmwareUpdate -Force -ThrottleLimit 2; Stop-NmcSimulator -Confirm:`$false; Stop-NmcLicensingSimulator -Confirm:`$false")
                $results = $ps.Invoke()
                [pscustomobject]@{ Results = @($results); Progress = @($ps.Streams.Progress); Errors = @($ps.Streams.Error) }
            }
            finally {
                $ps.Dispose()
                $env:SECURENMC_HOME = $script:dataHome
            }
        }
    }

    It 'shows one fleet bar and a child bar per card' {
        $run = Invoke-UpdateCollectingProgress 'Continue'
        $run.Errors | Should -BeNullOrEmpty
        $run.Results.Count | Should -Be 3
        $fleetBars = @($run.Progress | Where-Object ParentActivityId -eq -1 | Group-Object ActivityId)
        $fleetBars.Count | Should -Be 1 -Because 'the fleet has one parent bar'
        $fleetId = [int]$fleetBars[0].Name
        $cardBars = @($run.Progress | Where-Object ParentActivityId -eq $fleetId)
        $cardBars.Count | Should -BeGreaterThan 0
        @($cardBars | ForEach-Object Activity | Sort-Object -Unique) | Should -Be @('nmc-0001', 'nmc-0002', 'nmc-0003')
        # Each card's bar is completed when the card is done, and the fleet bar at the end.
        foreach ($card in $cardBars | Group-Object Activity) {
            ($card.Group | Select-Object -Last 1).RecordType | Should -Be 'Completed'
        }
        ($run.Progress | Where-Object ActivityId -eq $fleetId | Select-Object -Last 1).RecordType | Should -Be 'Completed'
        # The fleet bar says how many cards are done, failed and in progress.
        ($run.Progress | Where-Object ActivityId -eq $fleetId | ForEach-Object StatusDescription) -join "`n" | Should -Match '\d+ of 3'
    }

    It 'is silent under $ProgressPreference = ''SilentlyContinue''' {
        $run = Invoke-UpdateCollectingProgress 'SilentlyContinue'
        $run.Errors | Should -BeNullOrEmpty
        $run.Results.Count | Should -Be 3
        $run.Progress | Should -BeNullOrEmpty
    }
}

Describe 'Two update runs on one data folder' {
    It 'refuses the second process''s run, naming the process that is running' {
        $runHome = Join-Path $script:dataHome 'two-runs'
        New-Item -ItemType Directory -Path $runHome | Out-Null
        $journal = Join-Path $runHome (Join-Path 'Journal' 'updates.jsonl')
        $support = Join-Path $PSScriptRoot 'TestSupport.ps1'
        # The first run: slow cards (a restart takes 12 s), so it is still going when the second starts.
        $script = ". '$($support -replace "'", "''")'; Import-Module '$((Get-TestModuleManifest) -replace "'", "''")'; " +
            "New-RehearsalFleet -Count 2 -TimeScale 0.1 *> `$null; Get-NmcDevice | Invoke-NmcFirmwareUpdate -Force *> `$null"
        $previous = $env:SECURENMC_HOME
        $env:SECURENMC_HOME = $runHome
        try {
            $first = Start-Process -FilePath $script:pwsh -ArgumentList @('-NoProfile', '-NonInteractive', '-Command', $script) -PassThru -NoNewWindow
            $deadline = (Get-Date).AddSeconds(90)
            while (-not ((Test-Path -LiteralPath $journal) -and (Select-String -LiteralPath $journal -SimpleMatch 'UpdatingFirmware' -Quiet))) {
                if ($first.HasExited -or (Get-Date) -gt $deadline) { throw "the first run did not start updating (exited: $($first.HasExited))" }
                Start-Sleep -Milliseconds 200
            }
            $before = (Get-Content -LiteralPath $journal).Count

            $second = try { Get-NmcDevice | Invoke-NmcFirmwareUpdate -Force -ErrorAction Stop; $null } catch { $_ }

            $second | Should -Not -BeNullOrEmpty -Because 'a second run on the same data folder must be refused'
            $second.FullyQualifiedErrorId | Should -BeLike 'SecureNmc.UpdateRunInProgress,*'
            "$second" | Should -Match "process $($first.Id) on"
            # The refused run wrote nothing into the other run's journal.
            $runs = Get-Content -LiteralPath $journal | ForEach-Object { ($_ | ConvertFrom-Json).run } | Sort-Object -Unique
            @($runs).Count | Should -Be 1
            (Get-Content -LiteralPath $journal).Count | Should -BeGreaterOrEqual $before
        }
        finally {
            if ($first -and -not $first.HasExited) { Stop-Process -Id $first.Id -Force -ErrorAction SilentlyContinue }
            $env:SECURENMC_HOME = $previous
        }
    }
}
