#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Issues 11 and 16: the inventory and the run tell the truth. End to end through Import-Module
# against Start-NmcSimulator cards (loopback SSH/SCP), as a user types it:
# - queried cards show the update planner's status (SNS Tool wording), refreshed when the firmware
#   library or the licences change;
# - after an update the inventory holds what the card reported after its restart (AOS, application,
#   bootloader), and the run's result stays until the facts change;
# - a card that restarts and comes back prints no warning; one that never comes back prints one.
# Run: ./build.ps1 -Task Pester   (or: Invoke-Pester tests/pester/DeviceState.Tests.ps1)

BeforeAll {
    $script:previousHome = $env:SECURENMC_HOME
    $script:dataHome = Join-Path ([System.IO.Path]::GetTempPath()) ('securenmc-pester-state-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:dataHome | Out-Null
    $env:SECURENMC_HOME = $script:dataHome

    $manifest = Join-Path $PSScriptRoot (Join-Path '..' (Join-Path '..' (Join-Path 'out' (Join-Path 'SecureNmc' 'SecureNmc.psd1'))))
    Import-Module $manifest -Force -ErrorAction Stop
    $ProgressPreference = 'SilentlyContinue'

    # Three Smart-UPS cards on AOS 2.5.0.8 / su 2.5.0.6 / bootloader 1.5.1.1, time 100x faster (the
    # 200-second restarts take 2 s, so polls 1 s apart see each card down). The third card takes its
    # package and never comes back.
    $script:cards = @(Start-NmcSimulator -Count 3 -ApplicationType SU -TimeScale 0.01 -RestartSeconds 200 -Fault @{ 3 = 'NeverComeBack' })
    $script:back = $script:cards[0].Name
    $script:gone = $script:cards[2].Name

    # Packages that change the AOS and the bootloader, not only the application.
    $script:downloads = Join-Path $script:dataHome 'downloads'
    $script:newer = Join-Path $script:dataHome 'newer'
    [SecureNmc.Simulator.Firmware.SimulatorFirmwarePackage]::Create($script:downloads, 'SU', '2.9.0.2', '2.9.0.1', '1.6.0.1', 'hw21', 16384) | Out-Null
    [SecureNmc.Simulator.Firmware.SimulatorFirmwarePackage]::Create($script:newer, 'SU', '2.9.0.6', '2.9.0.5', '1.6.0.1', 'hw21', 16384) | Out-Null

    function Get-Status([string] $Name) { (Get-NmcDevice -Name $Name).StatusCode.ToString() }
    function Get-StatusText([string] $Name) { [SecureNmc.Core.Devices.DeviceStatusText]::ToText((Get-NmcDevice -Name $Name).Status) }
}

AfterAll {
    Stop-NmcLicensingSimulator -Confirm:$false -ErrorAction SilentlyContinue
    Stop-NmcSimulator -ErrorAction SilentlyContinue
    Remove-Module SecureNmc -Force -ErrorAction SilentlyContinue
    $env:SECURENMC_HOME = $script:previousHome
    Remove-Item -Path $script:dataHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The status of queried cards' {
    It 'is the planner''s as soon as they are added: Firmware Unavailable with an empty library' {
        $added = $script:cards | Add-NmcDevice -PassThru -WarningAction SilentlyContinue   # the simulator's high ports draw a port warning
        @($added).Count | Should -Be 3
        $added | ForEach-Object { $_.StatusCode.ToString() | Should -Be 'FirmwareUnavailable' }
        Get-NmcDevice | ForEach-Object {
            $_.StatusCode.ToString() | Should -Be 'FirmwareUnavailable'
            $_.StatusDetail | Should -Match 'no su package'
        }
    }

    It 'follows Import-NmcFirmware: no verified subscription yet, so Activate Subscription to Update' {
        Get-ChildItem -Path $script:downloads -Filter *.nmc3 | Import-NmcFirmware | Out-Null
        Get-NmcDevice | ForEach-Object { $_.StatusCode.ToString() | Should -Be 'ActivateSubscriptionToUpdate' }
        @(Get-NmcDevice -Status 'Activate Subscription to Update').Count | Should -Be 3
    }

    It 'follows Enable-NmcSubscription: Ready for Update' {
        $script:licensing = Get-NmcDevice | Start-NmcLicensingSimulator -PurchaseDate ((Get-Date).AddDays(-30)) -Confirm:$false
        Connect-NmcAccount -Credential $script:licensing.Credential -Confirm:$false | Out-Null
        Get-NmcDevice | Enable-NmcSubscription -Confirm:$false | Out-Null
        Get-NmcDevice | ForEach-Object {
            $_.StatusCode.ToString() | Should -Be 'ReadyForUpdate'
            $_.StatusDetail | Should -Be 'Ready to update from SU 2.5.0.6 to SU 2.9.0.1 (1 step).'
        }
        @(Get-NmcDevice -Status 'Ready for Update').Count | Should -Be 3
    }

    It 'follows Clear-NmcFirmwareCache and a new import' {
        Clear-NmcFirmwareCache -Force
        Get-StatusText $script:back | Should -Be 'Firmware Unavailable'
        Get-ChildItem -Path $script:downloads -Filter *.nmc3 | Import-NmcFirmware | Out-Null
        Get-StatusText $script:back | Should -Be 'Ready for Update'
    }

    It 'is stored by Update-NmcDevice too' {
        $refreshed = Update-NmcDevice -PassThru
        $refreshed | ForEach-Object { $_.StatusCode.ToString() | Should -Be 'ReadyForUpdate' }
    }
}

Describe 'An update of cards that restart' {
    BeforeAll {
        # Quick limits: poll every second, give up on a card after 6 s unreachable, two attempts.
        Set-NmcSetting -RestartTimeoutSeconds 6 -RestartPollSeconds 1 -MaxFirmwareUpdateAttempts 2
        $output = Get-NmcDevice | Invoke-NmcFirmwareUpdate -Confirm:$false -Verbose -WarningVariable runWarnings -ErrorVariable runErrors -ErrorAction SilentlyContinue 3>$null 4>&1
        $script:results = @($output | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $script:verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message })
        $script:runWarnings = @($runWarnings | ForEach-Object { $_.Message })
        $script:runErrors = @($runErrors)
    }

    It 'prints no warning for cards that restart and come back' {
        @($script:results | Where-Object StatusText -EQ 'Update Complete').Count | Should -Be 2
        foreach ($name in $script:cards[0].Name, $script:cards[1].Name) {
            @($script:runWarnings | Where-Object { $_ -match [regex]::Escape($name) }) | Should -BeNullOrEmpty
        }
        @($script:runWarnings | Where-Object { $_ -match 'Not Accessible' }) | Should -BeNullOrEmpty
    }

    It 'prints exactly one warning for the card that never comes back, and one error' {
        $mine = @($script:runWarnings | Where-Object { $_ -match [regex]::Escape($script:gone) })
        $mine.Count | Should -Be 1
        $mine[0] | Should -Match 'did not come back within 6 seconds'
        @($script:runWarnings).Count | Should -Be 1
        @($script:runErrors).Count | Should -Be 1
        ($script:results | Where-Object DeviceName -EQ $script:gone).Attempts | Should -Be 2
    }

    It 'shows the failed polls of restarting cards as verbose records' {
        foreach ($name in $script:back, $script:gone) {
            @($script:verbose | Where-Object { $_ -match "^$([regex]::Escape($name)) is restarting and does not answer yet" }).Count | Should -BeGreaterThan 0
        }
    }

    It 'leaves the inventory with what the cards reported after the restart: AOS, application and bootloader' {
        $device = Get-NmcDevice -Name $script:back
        $device.ApplicationVersion | Should -Be '2.9.0.1'
        $device.AosVersion | Should -Be '2.9.0.2'
        $device.BootloaderVersion | Should -Be '1.6.0.1'
        $device.StatusCode.ToString() | Should -Be 'UpdateComplete'
        $device.IsNewerFirmwareAvailable | Should -BeFalse
        $result = $script:results | Where-Object DeviceName -EQ $script:back
        $result.ReachedAosVersion.ToString() | Should -Be '2.9.0.2'
        $result.ReachedBootloaderVersion.ToString() | Should -Be '1.6.0.1'
    }

    It 'keeps Update Complete and Update Error until the facts change' {
        Get-Status $script:back | Should -Be 'UpdateComplete'
        Get-Status $script:gone | Should -Be 'UpdateError'
        (Get-NmcDevice -Name $script:gone).StatusDetail | Should -Match 'did not come back'
        Update-NmcDevice -Device $script:back
        Get-Status $script:back | Should -Be 'UpdateComplete'   # a refresh that finds the same firmware
    }

    It 'shows the planner''s status once a newer package is imported' {
        Get-ChildItem -Path $script:newer -Filter *.nmc3 | Import-NmcFirmware | Out-Null
        Get-StatusText $script:back | Should -Be 'Ready for Update'
        (Get-NmcDevice -Name $script:back).StatusDetail | Should -Be 'Ready to update from SU 2.9.0.1 to SU 2.9.0.5 (1 step).'
        Get-StatusText $script:gone | Should -Be 'Ready for Update'
    }
}
