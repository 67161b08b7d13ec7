#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# End to end through Import-Module: simulated NMC3 cards hosted on the project's own SSH/SCP servers
# (loopback only), their firmware packages imported with Import-NmcFirmware, and the fleet updated
# with Invoke-NmcFirmwareUpdate as a user types it. The simulator ships inside the module
# (SecureNmc.Simulator.dll), so its API is reachable once the module is imported.
# Run: ./build.ps1 -Task Pester   (or: Invoke-Pester tests/pester/FirmwareUpdate.Tests.ps1)

BeforeAll {
    $script:previousHome = $env:SECURENMC_HOME
    $script:dataHome = Join-Path ([System.IO.Path]::GetTempPath()) ('securenmc-pester-fw-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:dataHome | Out-Null
    $env:SECURENMC_HOME = $script:dataHome

    $manifest = Join-Path $PSScriptRoot (Join-Path '..' (Join-Path '..' (Join-Path 'out' (Join-Path 'SecureNmc' 'SecureNmc.psd1'))))
    Import-Module $manifest -Force -ErrorAction Stop

    # Six cards, one per application type of the first six (SU, SY, SUCAN, RPDU2G, EU1P, EU3P), all
    # on 2.5.0.6; time runs 100x faster (a 2-minute restart takes 1.2 s, uploads 6.4 MiB/s).
    $script:targetVersion = '2.9.0.1'
    $clock = [SecureNmc.Simulator.Cards.SimulatorClock]::new(0.01)
    $script:fleet = [SecureNmc.Simulator.Fleet.SimulatedFleet]::new($clock)
    $script:cards = $script:fleet.AddCards(6)
    $script:simHost = [SecureNmc.Simulator.Hosting.SimulatorFleetHost]::Start($script:fleet)

    # Downloaded packages, one per application type in the fleet, newer than what the cards run.
    $script:downloads = Join-Path $script:dataHome 'downloads'
    New-Item -ItemType Directory -Path $script:downloads | Out-Null
    # New-NmcSimulatorFirmware writes one package per distinct type of the list.
    $fleetTypes = $script:cards | ForEach-Object { $_.Profile.ApplicationType }
    New-NmcSimulatorFirmware -Path $script:downloads -ApplicationType $fleetTypes -Version $script:targetVersion -AosVersion '2.9.0.2' -ErrorAction Stop | Out-Null

    $admin = [SecureNmc.Simulator.Fleet.SimulatedFleet]::AdministratorCredential
    $script:cred = New-Object System.Management.Automation.PSCredential ($admin.UserName, (ConvertTo-SecureString $admin.Password -AsPlainText -Force))

    # The hosted cards into the inventory, with the administrator's credential.
    $script:simHost.Devices() | ForEach-Object {
        Add-NmcDevice -Host $_.Host -Port $_.Port -Name $_.Name -Protocol SCP -Credential $script:cred
    }
    # Planning needs each card's application type and version. Query the cards when this build has
    # Update-NmcDevice (issue 4, the SNS Tool's "Refresh Details"); otherwise record what the
    # simulator says they run, through Core.
    if (Get-Command -Name Update-NmcDevice -Module SecureNmc -ErrorAction SilentlyContinue) {
        Update-NmcDevice -ErrorAction Stop | Out-Null
    }
    else {
        $inventory = [SecureNmc.Core.Inventory.DeviceInventory]::new([SecureNmc.Core.Storage.DataFolder]::ForRoot($script:dataHome), $null, $null, $null)
        foreach ($card in $script:cards) {
            $device = Get-NmcDevice -Name $card.Name
            $inventory.Update($device.Id, [System.Action[SecureNmc.Core.Devices.NmcDevice]] {
                    param($d)
                    $d.ApplicationType = $card.Profile.ApplicationType
                    $d.ApplicationVersion = $card.Profile.ApplicationVersion
                    $d.AosVersion = $card.Profile.AosVersion
                    $d.Model = $card.Profile.Model
                    $d.HardwareRevision = $card.Profile.HardwareRevision
                    $d.BootloaderVersion = $card.Profile.BootloaderVersion
                }.GetNewClosure()) | Out-Null
        }
    }

    # A card may only receive Secure NMC firmware while it holds an active subscription of its
    # family. Rehearse that against the simulated licensing service: cards bought 30 days ago carry
    # the included 1-year subscription, which Enable-NmcSubscription (no Activation ID) retrieves.
    $script:licensing = Get-NmcDevice | Start-NmcLicensingSimulator -PurchaseDate ((Get-Date).AddDays(-30)) -Confirm:$false
    Connect-NmcAccount -Credential $script:licensing.Credential -Confirm:$false | Out-Null
    Get-NmcDevice | Enable-NmcSubscription -Confirm:$false | Out-Null

    function Get-CardVersions { $script:cards | ForEach-Object { '{0}={1}' -f $_.Name, $_.Profile.ApplicationVersion } }
}

AfterAll {
    Stop-NmcLicensingSimulator -Confirm:$false -ErrorAction SilentlyContinue
    if ($script:simHost) { $script:simHost.Dispose() }
    if ($script:fleet) { $script:fleet.Dispose() }
    Remove-Module SecureNmc -Force -ErrorAction SilentlyContinue
    $env:SECURENMC_HOME = $script:previousHome
    Remove-Item -Path $script:dataHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Firmware library' {
    It 'imports the downloaded packages and lists them as latest per application type' {
        $imported = Get-ChildItem -Path $script:downloads -Filter *.nmc3 | Import-NmcFirmware
        @($imported).Count | Should -Be (@(Get-ChildItem -Path $script:downloads -Filter *.nmc3).Count)
        $latest = Get-NmcFirmware -Latest
        $latest | ForEach-Object { $_.Version.ToString() | Should -Be $script:targetVersion }
        $latest | ForEach-Object { $_.IsCached | Should -BeTrue }
    }

    It 'refuses a file whose name is not a vendor package name, as an error for that file' {
        $bogus = Join-Path $script:dataHome 'firmware.bin'
        Set-Content -Path $bogus -Value 'not firmware'
        Import-NmcFirmware -Path $bogus -ErrorVariable importErrors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        @($importErrors).Count | Should -Be 1
        $importErrors[0].TargetObject | Should -Be $bogus
    }

    It 'marks every card as having newer firmware (the bell / New marker)' {
        foreach ($device in Get-NmcDevice) {
            $device.IsNewerFirmwareAvailable | Should -BeTrue
            $device.AvailableFirmwareVersion | Should -Be $script:targetVersion
            $device.TargetApplication | Should -Match '\(New\)$'
        }
    }

    It 'saves the package each card needs to a folder (Download Only), one file per package' {
        $staging = Join-Path $script:dataHome 'staging'
        $saved = Get-NmcDevice | Save-NmcFirmware -Path $staging
        @($saved).Count | Should -BeGreaterThan 0
        @(Get-ChildItem -Path $staging -Filter *.nmc3).Count | Should -Be (@(Get-ChildItem -Path $script:downloads -Filter *.nmc3).Count)
    }
}

Describe 'Invoke-NmcFirmwareUpdate' {
    It 'with -WhatIf prints the plan and changes nothing' {
        $before = Get-CardVersions
        $result = Get-NmcDevice | Invoke-NmcFirmwareUpdate -WhatIf
        $result | Should -BeNullOrEmpty
        Get-CardVersions | Should -Be $before
        Test-Path (Join-Path $script:dataHome 'Journal/updates.jsonl') | Should -BeFalse
        Test-Path (Join-Path $script:dataHome 'Backup') | Should -BeFalse
        $script:cards | ForEach-Object { $_.Events | Where-Object { $_.Text -match 'Firmware Updated' } | Should -BeNullOrEmpty }
    }

    It 'updates every card to Update Complete with one result per card, backups and a journal' {
        $ProgressPreference = 'SilentlyContinue'
        $results = Get-NmcDevice | Invoke-NmcFirmwareUpdate -Confirm:$false -ThrottleLimit 3 -ErrorVariable updateErrors
        @($updateErrors).Count | Should -Be 0
        @($results).Count | Should -Be $script:cards.Count
        foreach ($r in $results) {
            $r.StatusText | Should -Be 'Update Complete'
            $r.ToVersion.ToString() | Should -Be $script:targetVersion
            $r.Attempts | Should -Be 1
            $r.BackupPath | Should -Not -BeNullOrEmpty
            Test-Path (Join-Path $r.BackupPath 'config.ini') | Should -BeTrue
        }
        $script:cards | ForEach-Object { $_.Profile.ApplicationVersion | Should -Be $script:targetVersion }

        $journal = Get-NmcFirmwareUpdate
        @($journal).Count | Should -Be $script:cards.Count
        $journal | ForEach-Object { $_.StatusText | Should -Be 'Update Complete'; $_.Finished | Should -BeTrue }

        # The inventory shows the result, and the result objects pipe onward.
        $results | Get-NmcDevice | ForEach-Object {
            $_.ApplicationVersion | Should -Be $script:targetVersion
            $_.IsNewerFirmwareAvailable | Should -BeFalse
        }
    }

    It 'changes nothing when run again: every card is At Current Version' {
        $flashes = ($script:cards | ForEach-Object { @($_.Events | Where-Object { $_.Text -match 'Firmware Updated' }).Count } | Measure-Object -Sum).Sum
        $again = Invoke-NmcFirmwareUpdate -Force
        @($again).Count | Should -Be $script:cards.Count
        $again | ForEach-Object { $_.StatusText | Should -Be 'At Current Version' }
        ($script:cards | ForEach-Object { @($_.Events | Where-Object { $_.Text -match 'Firmware Updated' }).Count } | Measure-Object -Sum).Sum | Should -Be $flashes
    }

    It 'runs as a PowerShell job that Get-Job, Wait-Job and Receive-Job understand' {
        # A reinstall keeps the version, and these cards reboot in 1.2 s, before the first poll 5 s
        # after the upload: only the new Coldstart event in event.txt shows they restarted. Without
        # reading it the engine waited out the 5-minute drop timeout and failed every card.
        $job = Get-NmcDevice | Invoke-NmcFirmwareUpdate -AsJob -Force -Reinstall -ThrottleLimit 6
        $job | Should -BeOfType ([System.Management.Automation.Job])
        (Get-Job -Id $job.Id).InstanceId | Should -Be $job.InstanceId
        Wait-Job -Job $job -Timeout 120 | Out-Null
        $job.State | Should -Be 'Completed'
        $received = Receive-Job -Job $job
        @($received).Count | Should -Be $script:cards.Count
        $received | ForEach-Object { $_.StatusText | Should -Be 'Update Complete' }
        Remove-Job -Job $job
    }
}

Describe 'Stopping and clearing' {
    It 'Stop-NmcFirmwareUpdate with no card still updating cancels nothing and raises no error' {
        $stopped = Stop-NmcFirmwareUpdate -Confirm:$false -ErrorVariable stopErrors -WarningAction SilentlyContinue
        $stopped | Should -BeNullOrEmpty
        @($stopErrors).Count | Should -Be 0
    }

    It 'Clear-NmcFirmwareCache deletes every cached package and the catalog entries' {
        $cleared = Clear-NmcFirmwareCache -Force -PassThru
        $cleared.FilesDeleted | Should -BeGreaterThan 0
        Get-NmcFirmware | Should -BeNullOrEmpty
    }
}
