#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Issue 4 end to end through Import-Module: simulated cards in this session, queried by
# Add-NmcDevice and Update-NmcDevice over the real SSH/SCP and FTP stacks, in a throwaway data
# folder (SECURENMC_HOME). Everything listens on loopback only. Run: ./build.ps1 -Task Pester

BeforeAll {
    $script:previousHome = $env:SECURENMC_HOME
    $script:dataHome = Join-Path ([System.IO.Path]::GetTempPath()) ('securenmc-pester-sim-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:dataHome | Out-Null
    $env:SECURENMC_HOME = $script:dataHome

    $manifest = Join-Path $PSScriptRoot (Join-Path '..' (Join-Path '..' (Join-Path 'out' (Join-Path 'SecureNmc' 'SecureNmc.psd1'))))
    Import-Module $manifest -Force -ErrorAction Stop

    function Clear-Inventory { Get-NmcDevice | Remove-NmcDevice -Confirm:$false }
    function StatusText($device) { [SecureNmc.Core.Devices.DeviceStatusText]::ToText($device.Status) }
    function DeviceOf($card) { Get-NmcDevice | Where-Object { $_.Host -eq $card.Host -and $_.Port -eq $card.Port } }
}

AfterAll {
    Stop-NmcSimulator -ErrorAction SilentlyContinue
    Remove-Module SecureNmc -Force -ErrorAction SilentlyContinue
    $env:SECURENMC_HOME = $script:previousHome
    Remove-Item -Path $script:dataHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Start-NmcSimulator | Add-NmcDevice' {
    BeforeEach {
        Clear-Inventory
        # Every fleet makes new host keys; a port reused by the OS must not look like a replaced card.
        Remove-Item -Path (Join-Path $script:dataHome 'known_hosts') -ErrorAction SilentlyContinue
    }
    AfterEach { Stop-NmcSimulator }

    It 'adds five simulated cards and Get-NmcDevice shows their queried models and versions' {
        $cards = Start-NmcSimulator -Count 5 -TimeScale 0
        $cards.Count | Should -Be 5
        $cards | ForEach-Object { $_.Credential | Should -BeOfType [System.Management.Automation.PSCredential] }

        $cards | Add-NmcDevice -ErrorVariable addErrors
        $addErrors.Count | Should -Be 0

        $devices = @(Get-NmcDevice)
        $devices.Count | Should -Be 5
        foreach ($card in $cards) {
            $device = DeviceOf $card
            $device | Should -Not -BeNullOrEmpty
            $device.Name | Should -Be $card.Name
            $device.Model | Should -Be $card.Model
            $device.SerialNumber | Should -Be $card.SerialNumber
            "$($device.ApplicationType)" | Should -Be $card.ApplicationType
            $device.AosVersion | Should -Be $card.AosVersion
            $device.ApplicationVersion | Should -Be $card.ApplicationVersion
            $device.LastQueried | Should -Not -BeNullOrEmpty
            $device.HasStoredCredential | Should -BeTrue
            $device.UserName | Should -Be 'admin'
            # The update planner's status at once (issue 11): this data folder has no firmware yet.
            StatusText $device | Should -Be 'Firmware Unavailable'
            $device.StatusDetail | Should -BeLike "*the firmware library has no * package for hardware hw21*"
        }
    }

    It 'does not add a card whose query fails, and the error gives the status and the reason' {
        $cards = Start-NmcSimulator -Count 3 -TimeScale 0 -Fault @{ 2 = 'RefuseConnections' }
        $cards | Add-NmcDevice -ErrorAction SilentlyContinue -ErrorVariable addErrors
        $addErrors.Count | Should -Be 1
        $addErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.DeviceQueryFailed*'
        $addErrors[0].CategoryInfo.Category | Should -Be 'ConnectionError'
        $addErrors[0].Exception.Message | Should -BeLike "*$($cards[1].Host)*was not added. Not Accessible: Cannot connect to $($cards[1].Host):$($cards[1].Port)*"
        @(Get-NmcDevice).Count | Should -Be 2
        DeviceOf $cards[1] | Should -BeNullOrEmpty
    }

    It 'selects the connection-level faults by name: legacy-only SSH and a garbled identification end Not Accessible with the reason' {
        $cards = Start-NmcSimulator -Count 4 -TimeScale 0 -Fault @{ 1 = 'LegacySshOnly'; 2 = 'GarbledSshIdentification'; 3 = 'StallUploadAfterBytes=100'; 4 = 'RsaHostKeyOnly' }
        $cards[0].Card.Faults.LegacySshOnly | Should -BeTrue
        $cards[2].Card.Faults.StallUploadAfterBytes | Should -Be 100
        $cards | Add-NmcDevice -ErrorAction SilentlyContinue -ErrorVariable addErrors
        $addErrors.Count | Should -Be 2
        ($addErrors | Where-Object { $_.Exception.Message -like "*$($cards[0].Host)*" }).Exception.Message | Should -BeLike '*Not Accessible*legacy*'
        ($addErrors | Where-Object { $_.Exception.Message -like "*$($cards[1].Host)*" }).Exception.Message | Should -BeLike '*Not Accessible*SSH identification*'
        DeviceOf $cards[3] | Should -Not -BeNullOrEmpty
    }

    It 'reports a multi-factor user as Incorrect Credentials with what to do' {
        $cards = Start-NmcSimulator -Count 2 -TimeScale 0 -User MultiFactor
        $cards | Add-NmcDevice -ErrorAction SilentlyContinue -ErrorVariable addErrors
        $addErrors.Count | Should -Be 2
        $addErrors | ForEach-Object {
            $_.Exception.Message | Should -BeLike '*Incorrect Credentials:*multi-factor authentication (MFA)*FAQ000276382*'
            $_.CategoryInfo.Category | Should -Be 'AuthenticationError'
        }
        @(Get-NmcDevice).Count | Should -Be 0
    }

    It 'reports an NMC2 card as not supported and does not add it' {
        $cards = Start-NmcSimulator -Count 2 -TimeScale 0 -Nmc2Count 1
        $cards | Add-NmcDevice -ErrorAction SilentlyContinue -ErrorVariable addErrors
        $addErrors.Count | Should -Be 1
        $addErrors[0].Exception.Message | Should -BeLike '*Unknown: Not supported: This is a Network Management Card 2*'
        @(Get-NmcDevice).Count | Should -Be 1
    }

    It 'warns that FTP sends the password in clear text when a card is queried over FTP' {
        $cards = Start-NmcSimulator -Count 1 -TimeScale 0 -EnableFtp -Protocol FTP
        $cards[0].Protocol | Should -Be 'FTP'
        $cards | Add-NmcDevice -WarningAction SilentlyContinue -WarningVariable ftpWarnings
        ($ftpWarnings -join ' ') | Should -BeLike '*clear text*'
        $device = DeviceOf $cards[0]
        "$($device.Protocol)" | Should -Be 'Ftp'
        $device.ApplicationVersion | Should -Be $cards[0].ApplicationVersion
    }
}

Describe 'Add-NmcDevice -SkipQuery and Update-NmcDevice' {
    BeforeEach {
        Clear-Inventory
        Remove-Item -Path (Join-Path $script:dataHome 'known_hosts') -ErrorAction SilentlyContinue
    }
    AfterEach { Stop-NmcSimulator }

    It 'adds offline with status Unknown, then Update-NmcDevice fills in the facts of the whole inventory' {
        $cards = Start-NmcSimulator -Count 3 -TimeScale 0
        $cards | Add-NmcDevice -SkipQuery
        Get-NmcDevice | ForEach-Object {
            $_.Model | Should -BeNullOrEmpty
            $_.LastQueried | Should -BeNullOrEmpty
            StatusText $_ | Should -Be 'Unknown'
        }

        $refreshed = Update-NmcDevice -PassThru
        @($refreshed).Count | Should -Be 3
        foreach ($card in $cards) {
            $device = DeviceOf $card
            $device.Model | Should -Be $card.Model
            $device.ApplicationVersion | Should -Be $card.ApplicationVersion
            $device.LastQueried | Should -Not -BeNullOrEmpty
        }
    }

    It 'refreshes only the piped selection' {
        $cards = Start-NmcSimulator -Count 3 -TimeScale 0
        $cards | Add-NmcDevice -SkipQuery
        Get-NmcDevice -Name $cards[0].Name | Update-NmcDevice
        (DeviceOf $cards[0]).Model | Should -Be $cards[0].Model
        (DeviceOf $cards[1]).Model | Should -BeNullOrEmpty
        (DeviceOf $cards[2]).Model | Should -BeNullOrEmpty
    }

    It 'saves Not Accessible with the reason when the cards are gone' {
        $cards = Start-NmcSimulator -Count 2 -TimeScale 0
        $cards | Add-NmcDevice
        $cards | Stop-NmcSimulator
        Update-NmcDevice -ErrorAction SilentlyContinue -ErrorVariable refreshErrors
        $refreshErrors.Count | Should -Be 2
        Get-NmcDevice | ForEach-Object {
            StatusText $_ | Should -Be 'Not Accessible'
            $_.StatusDetail | Should -BeLike 'Cannot connect to*'
            $_.Model | Should -Not -BeNullOrEmpty   # facts from the earlier query are kept
        }
    }
}

Describe 'Cards added over FTP' {
    BeforeEach { Clear-Inventory }
    AfterEach {
        Stop-NmcSimulator
        Stop-NmcLicensingSimulator -Confirm:$false -ErrorAction SilentlyContinue
    }

    It 'get the serial number and MAC address, so they can be licensed like SCP cards' {
        $cards = Start-NmcSimulator -Count 2 -EnableFtp -Protocol FTP -TimeScale 0
        $cards | Add-NmcDevice -WarningAction SilentlyContinue
        foreach ($card in $cards) {
            $device = DeviceOf $card
            "$($device.Protocol)" | Should -Be 'Ftp'
            $device.SerialNumber | Should -Be $card.SerialNumber
            $device.MacAddress | Should -Not -BeNullOrEmpty
        }
        $licensing = Get-NmcDevice | Start-NmcLicensingSimulator -Confirm:$false
        Connect-NmcAccount -Credential $licensing.Credential -Confirm:$false | Out-Null
        $activated = Get-NmcDevice | Enable-NmcSubscription -Confirm:$false
        @($activated | Where-Object Succeeded).Count | Should -Be 2
    }
}

Describe 'Start-NmcSimulator ports' {
    BeforeEach {
        Clear-Inventory
        Remove-Item -Path (Join-Path $script:dataHome 'known_hosts') -ErrorAction SilentlyContinue
    }
    AfterEach { Stop-NmcSimulator }

    It 'listens only on ports a card can use, so Add-NmcDevice warns about none (SSH and FTP)' {
        $cards = Start-NmcSimulator -Count 3 -TimeScale 0 -EnableFtp
        $cards | ForEach-Object {
            $_.SshPort | Should -BeGreaterOrEqual 5000
            $_.SshPort | Should -BeLessOrEqual 32768
            $_.FtpPort | Should -BeGreaterOrEqual 5000
            $_.FtpPort | Should -BeLessOrEqual 32768
        }
        $cards | Add-NmcDevice -WarningVariable addWarnings -ErrorVariable addErrors
        @($addWarnings).Count | Should -Be 0
        @($addErrors).Count | Should -Be 0
        @(Get-NmcDevice).Count | Should -Be 3
    }

    It 'gives a second fleet started at the same time other free ports in the range' {
        $first = Start-NmcSimulator -Count 2 -TimeScale 0
        $second = Start-NmcSimulator -Count 2 -TimeScale 0
        $first[0].Port | Should -Not -Be $second[0].Port
        $second | Add-NmcDevice -WarningVariable addWarnings
        @($addWarnings).Count | Should -Be 0
    }

    It 'refuses a taken -SshPort with an error naming the port and what to do, and starts nothing' {
        $first = Start-NmcSimulator -Count 1 -TimeScale 0
        $port = $first[0].Port
        { Start-NmcSimulator -Count 2 -TimeScale 0 -SshPort $port } | Should -Throw -ErrorId 'SecureNmc.SimulatorPortInUse,*'
        try { Start-NmcSimulator -Count 2 -TimeScale 0 -SshPort $port } catch { $message = $_.Exception.Message }
        $message | Should -BeLike "*-SshPort $port*SSH port $port on 127.0.*is already in use*Leave -SshPort out*5000 to 32768*"
        @(Stop-NmcSimulator -PassThru).Count | Should -Be 1   # only the first fleet was running
    }

    It 'refuses an -SshPort no card can listen on' {
        { Start-NmcSimulator -Count 1 -SshPort 2222 } | Should -Throw -ErrorId 'SecureNmc.InvalidSimulator,*'
        try { Start-NmcSimulator -Count 1 -SshPort 2222 } catch { $message = $_.Exception.Message }
        $message | Should -BeLike '*SshPort 2222*22 or a port from 5000 to 32768*'
    }
}

Describe 'Stop-NmcSimulator' {
    It 'stops the fleet of piped cards once and returns its handle' {
        $cards = Start-NmcSimulator -Count 3 -TimeScale 0
        $stopped = @($cards | Stop-NmcSimulator -PassThru)
        $stopped.Count | Should -Be 1
        $stopped[0].IsRunning | Should -BeFalse
    }

    It 'stops every fleet of the session without arguments' {
        $a = Start-NmcSimulator -Count 1 -TimeScale 0
        $b = Start-NmcSimulator -Count 1 -TimeScale 0
        Stop-NmcSimulator
        $a[0].Simulator.IsRunning | Should -BeFalse
        $b[0].Simulator.IsRunning | Should -BeFalse
    }
}

Describe 'Open-NmcWebUI' {
    It 'names the https address it would open and starts nothing with -WhatIf' {
        Clear-Inventory
        Add-NmcDevice -SkipQuery -Host 10.0.9.1 -Name web-1
        { Open-NmcWebUI -Device web-1 -WhatIf } | Should -Not -Throw
        [SecureNmc.Core.WebUi.NmcWebUiAddress]::For((Get-NmcDevice -Name web-1), 443).AbsoluteUri | Should -Be 'https://10.0.9.1/'
    }
}
