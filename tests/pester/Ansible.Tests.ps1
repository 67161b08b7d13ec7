#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# examples/ansible run for real (issue 14): three local "sites", each with its own SECURENMC_HOME
# and simulated fleet, rolled out one site per wave; the second site's wave fails, so the rollout
# stops there, the third site is never touched, and report.yml merges what ran into one report.
# Needs ansible-playbook (Debian's ansible-core, installed by .ci/run).

BeforeDiscovery { $script:noAnsible = -not (Get-Command ansible-playbook -ErrorAction SilentlyContinue) }

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) ('securenmc-pester-ansible-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:work | Out-Null
    $script:examples = Join-Path (Get-RepositoryRoot) (Join-Path 'examples' 'ansible')
    $script:manifest = [System.IO.Path]::GetFullPath((Get-TestModuleManifest))
}

AfterAll { Remove-Item -LiteralPath $script:work -Recurse -Force -ErrorAction SilentlyContinue }

Describe 'The Ansible rollout' -Skip:$script:noAnsible {
    BeforeAll {
        Push-Location $script:examples
        try {
            $script:rolloutOutput = & ansible-playbook -i inventory.yml rollout.yml -e "securenmc_work=$($script:work)" -e "securenmc_module=$($script:manifest)" 2>&1
            $script:rolloutExit = $LASTEXITCODE
            $script:reportOutput = & ansible-playbook -i inventory.yml report.yml -e "securenmc_work=$($script:work)" 2>&1
            $script:reportExit = $LASTEXITCODE
        }
        finally { Pop-Location }
        $reportFile = Join-Path $script:work 'fleet-report.json'
        $script:report = @(if (Test-Path $reportFile) { Get-Content $reportFile -Raw | ConvertFrom-Json | ForEach-Object { $_ } })
    }

    It 'stops at the wave whose site failed' {
        $script:rolloutExit | Should -Not -Be 0 -Because ($script:rolloutOutput -join "`n")
        ($script:rolloutOutput -join "`n") | Should -Match 'site_south\s*:\s*ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=1'
        ($script:rolloutOutput -join "`n") | Should -Not -Match 'site_east'
        Test-Path (Join-Path $script:work 'site_east') | Should -BeFalse -Because 'the third wave never started'
    }

    It 'merges every card that ran into one report, each once, matching what its simulator runs' {
        $script:reportExit | Should -Be 0 -Because ($script:reportOutput -join "`n")
        $script:report.Count | Should -Be 6
        @($script:report | Group-Object DeviceId | Where-Object Count -gt 1).Count | Should -Be 0 -Because 'no card is updated twice'
        @($script:report | Where-Object Site -eq 'North' | Where-Object IsSuccess).Count | Should -Be 3
        $south = @($script:report | Where-Object Site -eq 'South')
        @($south | Where-Object { -not $_.IsSuccess }).Count | Should -Be 1
        @($script:report | Where-Object Site -eq 'East').Count | Should -Be 0
        foreach ($card in $script:report) {
            $reached = if ($card.Reached) { ($card.Reached -split ' ')[-1] } else { ($card.From -split ' ')[-1] }
            $card.SimulatorApplicationVersion | Should -Be $reached -Because "$($card.Site)/$($card.DeviceName) is reported as $($card.Status)"
        }
    }
}
