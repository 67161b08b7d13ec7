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

Describe 'Cards in flight at a worker' {
    # docs/scale-out.md: until the worker's results come back, the controller holds a handed-over card
    # as it was handed over (in flight) and does not update it itself.
    BeforeAll {
        $script:south = @(Get-NmcDevice -Site South | Sort-Object Name)
        $script:north = @(Get-NmcDevice -Site North | Sort-Object Name)
        $script:southBundle = Join-Path $script:files 'south.snmc'
    }

    It 'a plain export marks nothing; Export-NmcBundle -HandOverTo marks each exported card with the worker and the time' {
        Get-NmcDevice -Site North | Export-NmcBundle -Path (Join-Path $script:files 'north-copy.snmc') -Password $script:password | Out-Null
        @(Get-NmcDevice -InFlight).Count | Should -Be 0
        $revisions = @($script:south | ForEach-Object { (Get-NmcDevice -Id $_.Id).Revision })
        $before = [DateTimeOffset]::UtcNow.AddSeconds(-1)

        $result = Get-NmcDevice -Site South | Export-NmcBundle -Path $script:southBundle -Password $script:password -HandOverTo 'south-worker'

        $result.Devices | Should -Be 2
        $away = @(Get-NmcDevice -InFlight | Sort-Object Name)
        $away.Name | Should -Be $script:south.Name
        foreach ($d in $away) {
            $d.HandedOverTo | Should -Be 'south-worker'
            $d.HandedOverAt | Should -BeGreaterThan $before
            $d.IsInFlight | Should -BeTrue
        }
        # Marking is bookkeeping: the revisions the worker's results are merged against do not move.
        @($script:south | ForEach-Object { (Get-NmcDevice -Id $_.Id).Revision }) | Should -Be $revisions
        @(Get-NmcDevice -InFlight:$false).Name | Sort-Object | Should -Be ($script:north.Name | Sort-Object)
        (Get-Content (Join-Path $script:controllerHome 'inventory.json') -Raw) | Should -Match '"handedOverTo": "south-worker"'
    }

    It 'Get-NmcDevice shows a card in flight as In Flight, handed over to the worker' {
        $card = Get-NmcDevice $script:south[0].Name
        "$($card.Status)" | Should -Be 'In Flight'
        $card.StatusDetail | Should -BeLike 'Handed over to south-worker at * UTC*'
        @(Get-NmcDevice -Status 'In Flight').Count | Should -Be 2
        ($card | Out-String -Width 120) | Should -Match 'In Flight'
        ($card | Format-List | Out-String -Width 200) | Should -Match 'HandedOverTo\s+: south-worker'
        $report = Join-Path $script:files 'fleet.json'
        Export-NmcReport -Path $report -Format Json | Out-Null
        (Get-Content -LiteralPath $report -Raw | ConvertFrom-Json).Cards | Where-Object Status -eq 'In Flight' | ForEach-Object Name | Sort-Object |
            Should -Be ($script:south.Name | Sort-Object) -Because 'the fleet report shows the cards out at a worker as Get-NmcDevice does'
    }

    It 'refuses to update or query a card in flight on the controller (DeviceInFlight), while the other cards update' {
        $revision = (Get-NmcDevice $script:south[0].Name).Revision
        $results = @(Invoke-NmcFirmwareUpdate -Device $script:south[0].Name, $script:north[0].Name -Reinstall -Force -ErrorVariable refused -ErrorAction SilentlyContinue)

        $results.Count | Should -Be 1
        $results[0].DeviceName | Should -Be $script:north[0].Name
        "$($results[0].Status)" | Should -Be 'Update Complete'
        $refused.Count | Should -Be 1
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.DeviceInFlight,*'
        "$($refused[0])" | Should -BeLike "*$($script:south[0].Name)*south-worker at * UTC*"
        $refused[0].ErrorDetails.RecommendedAction | Should -Match 'Import-NmcBundle -Conflict Overwrite.*Set-NmcDevice -TakeBack'

        Update-NmcDevice -Device $script:south[0].Name -ErrorVariable queryRefused -ErrorAction SilentlyContinue
        $queryRefused.Count | Should -Be 1
        $queryRefused[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.DeviceInFlight,*'
        (Get-NmcDevice $script:south[0].Name).Revision | Should -Be $revision -Because 'nothing was stored for a card in flight'

        # The whole inventory: the cards in flight are left out with one warning, not an error each.
        $refreshed = @(Update-NmcDevice -PassThru -WarningVariable leftOut -WarningAction SilentlyContinue -ErrorVariable wholeErrors -ErrorAction SilentlyContinue)
        $wholeErrors.Count | Should -Be 0
        $refreshed.Name | Sort-Object | Should -Be ($script:north.Name | Sort-Object)
        "$leftOut" | Should -Match '2 card\(s\) in flight \(south-worker: 2\) were left out'
    }

    It 'refuses a second hand-over of a card in flight, writing nothing' {
        $again = Join-Path $script:files 'south-again.snmc'
        { Get-NmcDevice -Site South | Export-NmcBundle -Path $again -Password $script:password -HandOverTo 'other-worker' -ErrorAction Stop } |
            Should -Throw -ErrorId 'SecureNmc.DeviceInFlight,*'
        Test-Path -LiteralPath $again | Should -BeFalse
        (Get-NmcDevice -InFlight).HandedOverTo | Sort-Object -Unique | Should -Be 'south-worker'
    }

    It 'clears the mark when the worker''s results are imported' {
        Use-Worker {
            Import-NmcBundle -Path $script:southBundle -Password $script:password -Confirm:$false | Out-Null
            @(Get-NmcDevice -InFlight).Count | Should -Be 0 -Because 'on the worker the cards are not in flight'
            $ProgressPreference = 'SilentlyContinue'
            $updated = @(Get-NmcDevice -Site South | Invoke-NmcFirmwareUpdate -Force)
            @($updated | Where-Object { "$($_.Status)" -eq 'Update Complete' }).Count | Should -Be 2
            Get-NmcDevice -Site South | Export-NmcBundle -Path (Join-Path $script:files 'south-results.snmc') -Include Devices -Password $script:password | Out-Null
        }

        $items = @(Import-NmcBundle -Path (Join-Path $script:files 'south-results.snmc') -Password $script:password -Conflict Overwrite -Confirm:$false)

        $items.Count | Should -Be 2
        $items | ForEach-Object { "$($_.Action)" | Should -Be 'Overwritten'; $_.Detail | Should -Match 'no longer in flight' }
        @(Get-NmcDevice -InFlight).Count | Should -Be 0
        Get-NmcDevice -Site South | ForEach-Object {
            "$($_.Status)" | Should -Be 'Update Complete'
            $_.ApplicationVersion | Should -Be '2.9.0.1'
            $_.HandedOverTo | Should -BeNullOrEmpty
        }
    }

    It 'Set-NmcDevice -TakeBack takes a card back from a lost worker, and it may be handed over again' {
        $card = $script:south[0].Name
        Export-NmcBundle -Device $card -Path (Join-Path $script:files 'lost.snmc') -Password $script:password -HandOverTo 'lost-worker' | Out-Null
        (Get-NmcDevice $card).IsInFlight | Should -BeTrue

        Set-NmcDevice -Device $card -TakeBack -Confirm:$false -WarningVariable notes
        $notes | Should -BeNullOrEmpty
        (Get-NmcDevice $card).IsInFlight | Should -BeFalse
        "$((Get-NmcDevice $card).Status)" | Should -Not -Be 'In Flight'
        Set-NmcDevice -Device $card -TakeBack -Confirm:$false -WarningVariable nothingToDo -WarningAction SilentlyContinue
        "$nothingToDo" | Should -Match 'not in flight'

        Export-NmcBundle -Device $card -Path (Join-Path $script:files 'next.snmc') -Password $script:password -HandOverTo 'next-worker' | Out-Null
        (Get-NmcDevice $card).HandedOverTo | Should -Be 'next-worker'
        Set-NmcDevice -Device $card -TakeBack -Confirm:$false
    }

    It 'Remove-NmcDevice removes a card in flight with a warning naming the worker; a card here goes without one' {
        $away = $script:south[1]
        Export-NmcBundle -Device $away.Name -Path (Join-Path $script:files 'leaving.snmc') -Password $script:password -HandOverTo 'leaving-worker' | Out-Null
        $here = Get-NmcDevice | Where-Object { -not $_.IsInFlight -and $_.Name -ne $away.Name } | Select-Object -First 1

        Remove-NmcDevice -Device $away.Name, $here.Name -Confirm:$false -WarningVariable notes -WarningAction SilentlyContinue
        @($notes).Count | Should -Be 1
        "$notes" | Should -Match ([regex]::Escape("$($away.Name) ($($away.Host)) is in flight"))
        "$notes" | Should -Match 'leaving-worker'
        "$notes" | Should -Match 'adds the card back'
        Get-NmcDevice -Name $away.Name, $here.Name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
