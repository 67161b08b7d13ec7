#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Secure NMC subscriptions end to end through Import-Module: the in-process licensing simulator,
# sign-in, Check License, activation (online and offline), and the update gate: a card that was
# "Activate Subscription to Update" is "Ready for Update" once its subscription is active.
# Run: ./build.ps1 -Task Pester
#
# Two stand-ins, because the cmdlets of issues 4 and 5 are not on main yet:
#  - The cards' identity (serial, MAC, application type, versions) is what a query records; it is
#    written through Core's DeviceInventory.Update, exactly where Get-NmcDevice -Refresh will write it.
#  - "The update proceeds" is shown with the planner the update commands build
#    ([SecureNmc.Core.Licensing.Sessions.LicensingSessions]::CreatePlanner, the same factory
#    Invoke-NmcFirmwareUpdate uses), whose status is the card's update status in the SNS wording.

BeforeAll {
    $script:previousHome = $env:SECURENMC_HOME
    $script:dataHome = Join-Path ([System.IO.Path]::GetTempPath()) ('securenmc-pester-sub-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:dataHome | Out-Null
    $env:SECURENMC_HOME = $script:dataHome

    $manifest = Join-Path $PSScriptRoot (Join-Path '..' (Join-Path '..' (Join-Path 'out' (Join-Path 'SecureNmc' 'SecureNmc.psd1'))))
    Import-Module $manifest -Force -ErrorAction Stop

    $script:folder = [SecureNmc.Core.Storage.DataFolder]::ForRoot($script:dataHome)

    # Adds a card offline and records the identity a query would have read from it.
    function Add-QueriedCard([string]$Name, [string]$HostAddress, [string]$Serial, [string]$Mac, [SecureNmc.Core.Devices.ApplicationType]$App) {
        $add = @{ Host = $HostAddress; Name = $Name; PassThru = $true }
        if ((Get-Command Add-NmcDevice).Parameters.ContainsKey('SkipQuery')) { $add.SkipQuery = $true }
        $device = Add-NmcDevice @add
        $inventory = [SecureNmc.Core.Inventory.DeviceInventory]::new($script:folder)
        $record = [System.Action[SecureNmc.Core.Devices.NmcDevice]] {
            param($d)
            $d.SerialNumber = $Serial
            $d.MacAddress = $Mac
            $d.ApplicationType = $App
            $d.Model = 'AP9641'
            $d.ApplicationVersion = '2.4.0.1'
            $d.AosVersion = '2.4.0.1'
            $d.BootloaderVersion = '1.5.1.1'
        }.GetNewClosure()
        $inventory.Update($device.Id, $record) | Out-Null
    }

    # The update status the update commands would give the card now.
    function Get-UpdateStatus([string]$Name) {
        $package = [SecureNmc.Core.Firmware.FirmwarePackage]::new(
            [SecureNmc.Core.Firmware.FirmwarePackageName]::Parse('apc_hw21_su_2.5.0.6.nmc3'), 1000, ('a' * 64))
        $catalog = [SecureNmc.Core.Firmware.FirmwareCatalog]::new([SecureNmc.Core.Firmware.FirmwarePackage[]]@($package))
        $settings = [SecureNmc.Core.Settings.SettingsStore]::new($script:folder).Load()
        $planner = [SecureNmc.Core.Licensing.Sessions.LicensingSessions]::CreatePlanner($catalog, $settings, $script:folder, $null)
        $plan = $planner.Plan((Get-NmcDevice -Name $Name), [SecureNmc.Core.Updates.UpdatePlanOptions]::new())
        [SecureNmc.Core.Devices.DeviceStatusText]::ToText($plan.Status)
    }

    Add-QueriedCard -Name 'ups-old' -HostAddress '127.0.0.11' -Serial 'PS2401000001' -Mac '28:29:86:BB:00:01' -App SU
    Add-QueriedCard -Name 'ups-new' -HostAddress '127.0.0.12' -Serial 'PS2506000002' -Mac '28:29:86:BB:00:02' -App SY
    Add-QueriedCard -Name 'ups-airgap' -HostAddress '127.0.0.13' -Serial 'PS2401000003' -Mac '28:29:86:BB:00:03' -App SU

    # ups-old and ups-airgap were bought in January 2024: no included subscription. ups-new was not
    # sold by the simulated vendor at all, so it has no subscription either.
    $script:sim = Get-NmcDevice -Name 'ups-old', 'ups-airgap' | Start-NmcLicensingSimulator -PurchaseDate '2024-01-15' -Confirm:$false
}

AfterAll {
    Stop-NmcLicensingSimulator -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module SecureNmc -Force -ErrorAction SilentlyContinue
    $env:SECURENMC_HOME = $script:previousHome
    Remove-Item -Path $script:dataHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Licensing simulator and settings' {
    It 'points LicensingEndpoint and LicensingServiceKey at the simulator' {
        (Get-NmcSetting -Name LicensingEndpoint).Value | Should -Be $script:sim.Endpoint.AbsoluteUri
        (Get-NmcSetting -Name LicensingServiceKey).Value | Should -Be $script:sim.ServiceKey
        $script:sim.Cards | Should -Contain 'PS2401000001'
        $script:sim.ActivationIds | Should -Contain 'AID-SU-1Y'
    }

    It 'refuses a licensing endpoint that is not https' {
        { Set-NmcSetting -LicensingEndpoint 'http://licensing.example.com/' -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ExpectedMessage '*must use https*'
    }
}

Describe 'Connect, check, activate, update' {
    It 'without a sign-in shows stored licences and says how to sign in' {
        $status = Get-NmcSubscription -Device 'ups-old' -WarningVariable warnings -WarningAction SilentlyContinue
        $status.State | Should -Be 'None'
        ($warnings -join ' ') | Should -BeLike '*Connect-NmcAccount*'
    }

    It 'signs in with the rehearsal account and never shows the password' {
        $account = Connect-NmcAccount -Credential $script:sim.Credential -Confirm:$false
        $account.Account | Should -Be $script:sim.Credential.UserName
        ($account | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($script:sim.Credential.GetNetworkCredential().Password))
    }

    It 'blocks the update of a card without a subscription' {
        (Get-NmcSubscription -Device 'ups-old').State | Should -Be 'None'
        Get-UpdateStatus 'ups-old' | Should -Be 'Activate Subscription to Update'
    }

    It 'refuses an Activation ID of another family with a per-card error naming the device' {
        $outcome = Enable-NmcSubscription -Device 'ups-old' -ActivationId 'AID-PDU-1Y' -Confirm:$false -ErrorVariable familyErrors -ErrorAction SilentlyContinue
        $outcome.Succeeded | Should -BeFalse
        $familyErrors.Count | Should -Be 1
        $familyErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.FamilyMismatch*'
        $familyErrors[0].TargetObject.Name | Should -Be 'ups-old'
        $familyErrors[0].ErrorDetails.Message | Should -BeLike '*rack PDU*'
    }

    It '-WhatIf activates nothing' {
        Enable-NmcSubscription -Device 'ups-old' -ActivationId 'AID-SU-1Y' -WhatIf
        (Get-NmcSubscription -Device 'ups-old').State | Should -Be 'None'
    }

    It 'activates a purchased subscription, after which the blocked update proceeds' {
        $outcome = Enable-NmcSubscription -Device 'ups-old' -ActivationId 'AID-SU-1Y' -Confirm:$false
        $outcome.Succeeded | Should -BeTrue
        [string]$outcome.Effect | Should -Be 'NewSubscription'

        $status = Get-NmcSubscription -Device 'ups-old'
        $status.State | Should -Be 'Active'
        [string]$status.Family | Should -Be 'SmartUps'
        $status.TermYears | Should -Be 1
        $status.ActivatedOn.Date | Should -Be ([datetime]::UtcNow.Date)
        $status.DaysLeft | Should -BeIn 365, 366
        $status.LicensesUpdate | Should -BeTrue

        Get-UpdateStatus 'ups-old' | Should -Be 'Ready for Update'
    }

    It 'refuses to use one Activation ID on a second card' {
        Enable-NmcSubscription -Device 'ups-airgap' -ActivationId 'AID-SU-1Y' -Confirm:$false -ErrorVariable usedErrors -ErrorAction SilentlyContinue | Out-Null
        $usedErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.ActivationIdAlreadyUsed*'
        Get-UpdateStatus 'ups-airgap' | Should -Be 'Activate Subscription to Update'
    }

    It 'checks the whole inventory with one result per device' {
        $all = Get-NmcSubscription -ErrorAction SilentlyContinue
        @($all).Count | Should -Be 3
        ($all | Where-Object DeviceName -eq 'ups-old').State | Should -Be 'Active'
        ($all | Where-Object DeviceName -eq 'ups-new').State | Should -Be 'None'
    }
}

Describe 'Offline activation' {
    It 'exports a request, submits it and imports the verified response' {
        $request = Join-Path $script:dataHome 'request.json'
        $response = Join-Path $script:dataHome 'response.json'
        $summary = Export-NmcActivationRequest -Device 'ups-airgap' -ActivationId 'AID-SU-3Y' -Path $request -Confirm:$false
        $summary.Entries | Should -Be 1
        Get-Content $request -Raw | Should -Not -Match 'ups-airgap'   # card identities only, no device names

        $submitted = Submit-NmcActivationRequest -Path $request -ResponsePath $response -Confirm:$false
        $submitted.Licensed | Should -Be 1

        $outcome = Import-NmcActivationResponse -Path $response -Confirm:$false
        $outcome.Succeeded | Should -BeTrue
        $outcome.DeviceName | Should -Be 'ups-airgap'
        (Get-NmcSubscription -Device 'ups-airgap' -Offline).TermYears | Should -Be 3
        Get-UpdateStatus 'ups-airgap' | Should -Be 'Ready for Update'
    }
}

Describe 'Runbook sign-in' {
    It 'signs out, then signs in with a token that is never shown or stored in plain text' {
        Disconnect-NmcAccount -Confirm:$false
        { Get-NmcSubscription -Device 'ups-old' -WarningAction SilentlyContinue } | Should -Not -Throw
        $plainToken = [System.Net.NetworkCredential]::new('', $script:sim.Token).Password

        $account = Connect-NmcAccount -Token $script:sim.Token -StaySignedIn -Confirm:$false -Verbose 4>&1 |
            Where-Object { $_ -is [SecureNmc.Core.Licensing.AccountInfo] }
        $account.Account | Should -Be $script:sim.Credential.UserName
        ($account | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($plainToken))
        $stored = Join-Path $script:dataHome (Join-Path 'Licenses' 'account-token.bin')
        Test-Path $stored | Should -BeTrue
        [System.IO.File]::ReadAllText($stored) | Should -Not -Match ([regex]::Escape($plainToken))

        Disconnect-NmcAccount -Confirm:$false
        Test-Path $stored | Should -BeFalse
    }
}

Describe 'Stopping the simulator' {
    It 'restores the licensing settings it replaced' {
        Stop-NmcLicensingSimulator -Confirm:$false
        (Get-NmcSetting -Name LicensingEndpoint).Value | Should -BeNullOrEmpty
        (Get-NmcSetting -Name LicensingServiceKey).Value | Should -BeNullOrEmpty
    }
}
