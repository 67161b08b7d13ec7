#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Controller and worker (issue 14): one site's share leaves the controller as an encrypted bundle
# (devices, licences, firmware), a worker in its own data folder updates it through the runbook
# wrapper, and its results come back with Import-NmcBundle -Conflict Overwrite; a card changed on
# both sides since the hand-over is reported, not overwritten. The simulated cards live in this process.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:controllerHome = Enter-TestHome 'securenmc-pester-controller'
    $script:workerHome = Join-Path $script:controllerHome 'worker-data'
    New-Item -ItemType Directory -Path $script:workerHome | Out-Null
    $script:files = Join-Path $script:controllerHome 'exchange'
    New-Item -ItemType Directory -Path $script:files | Out-Null
    Import-Module (Get-TestModuleManifest) -Force -ErrorAction Stop
    $onWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    $script:pwsh = Join-Path $PSHOME $(if ($onWindows) { 'pwsh.exe' } else { 'pwsh' })
    if (-not (Test-Path -LiteralPath $script:pwsh)) { $script:pwsh = (Get-Process -Id $PID).Path }
    $script:manifest = [System.IO.Path]::GetFullPath((Get-TestModuleManifest))
    $script:wrapper = Join-Path (Get-RepositoryRoot) (Join-Path 'examples' (Join-Path 'runbook' 'Invoke-NmcFleetUpdate.ps1'))
    $script:password = ConvertTo-SecureString 'hand-over pass phrase 14' -AsPlainText -Force

    New-RehearsalFleet -Count 4 | Out-Null
    $devices = @(Get-NmcDevice | Sort-Object Name)
    $devices[0..1] | Set-NmcDevice -Site North -Confirm:$false
    $devices[2..3] | Set-NmcDevice -Site South -Confirm:$false
    $script:serviceKey = (Get-NmcSetting -Name LicensingServiceKey).Value

    function Use-Worker([scriptblock] $Script) {
        $env:SECURENMC_HOME = $script:workerHome
        try { & $Script } finally { $env:SECURENMC_HOME = $script:controllerHome }
    }
}

AfterAll { Exit-TestHome $script:controllerHome }

Describe 'Handing a site to a worker and taking its results back' {
    It 'gives the worker the site''s devices with their licences and firmware' {
        $bundle = Join-Path $script:files 'north.snmc'
        Get-NmcDevice -Site North | Export-NmcBundle -Path $bundle -Password $script:password | Out-Null
        Use-Worker {
            Set-NmcSetting -LicensingServiceKey $script:serviceKey -Confirm:$false
            $items = @(Import-NmcBundle -Path $bundle -Password $script:password -Confirm:$false)
            @($items | Where-Object { "$($_.Kind)" -eq 'Device' -and "$($_.Action)" -eq 'Added' }).Count | Should -Be 2
            @($items | Where-Object { "$($_.Kind)" -eq 'Licence' }).Count | Should -Be 2
            @($items | Where-Object { "$($_.Kind)" -eq 'Firmware' }).Count | Should -BeGreaterThan 0
            (Get-NmcDevice).Site | Sort-Object -Unique | Should -Be 'North'
            Get-NmcDevice | ForEach-Object { "$($_.Status)" | Should -Be 'Ready for Update' -Because 'licences and firmware came with the devices' }
        }
    }

    It 'merges the worker''s results into the controller and reports a card changed in two places' {
        # The worker updates its share in its own process and data folder.
        $env:SECURENMC_HOME = $script:workerHome
        try {
            $process = Start-Process -FilePath $script:pwsh -PassThru -Wait -NoNewWindow -RedirectStandardOutput (Join-Path $script:files 'w.out') -RedirectStandardError (Join-Path $script:files 'w.err') `
                -ArgumentList @('-NoProfile', '-NonInteractive', '-File', $script:wrapper, '-ModulePath', $script:manifest, '-Site', 'North', '-AsJson')
        }
        finally { $env:SECURENMC_HOME = $script:controllerHome }
        $process.ExitCode | Should -Be 0 -Because (Get-Content (Join-Path $script:files 'w.err') -Raw)
        $results = Join-Path $script:files 'north-results.snmc'
        Use-Worker { Export-NmcBundle -Path $results -Include Devices -Password $script:password | Out-Null }

        # Meanwhile the controller touched one North card itself (a query stores what it read).
        $north = @(Get-NmcDevice -Site North | Sort-Object Name)
        $touched = $north[1]
        Update-NmcDevice -Device $touched.Name | Out-Null
        $southBefore = @(Get-NmcDevice -Site South | ForEach-Object { "$($_.Name) $($_.ApplicationVersion) $($_.Status)" })

        $items = @(Import-NmcBundle -Path $results -Password $script:password -Conflict Overwrite -Confirm:$false -ErrorVariable conflicts -ErrorAction SilentlyContinue)

        $merged = Get-NmcDevice $north[0].Name
        $merged.ApplicationVersion | Should -Be '2.9.0.1'
        "$($merged.Status)" | Should -Be 'Update Complete'
        ($items | Where-Object Name -like "$($north[0].Name) *").Action | Should -Be 'Overwritten'
        ($items | Where-Object Name -like "$($touched.Name) *").Action | Should -Be 'Conflict'
        $conflicts.Count | Should -Be 1
        $conflicts[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.DeviceChangedInTwoPlaces*'
        "$($conflicts[0])" | Should -Match 'two places'
        # The other site was never handed over and is as it was.
        @(Get-NmcDevice -Site South | ForEach-Object { "$($_.Name) $($_.ApplicationVersion) $($_.Status)" }) | Should -Be $southBefore
    }
}
