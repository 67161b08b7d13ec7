#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# End-to-end through Import-Module: the built module at out/SecureNmc, a throwaway data folder
# (SECURENMC_HOME), and the device cmdlets as a user types them. Run: ./build.ps1 -Task Pester

BeforeAll {
    $script:previousHome = $env:SECURENMC_HOME
    $script:dataHome = Join-Path ([System.IO.Path]::GetTempPath()) ('securenmc-pester-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:dataHome | Out-Null
    $env:SECURENMC_HOME = $script:dataHome

    $manifest = Join-Path $PSScriptRoot (Join-Path '..' (Join-Path '..' (Join-Path 'out' (Join-Path 'SecureNmc' 'SecureNmc.psd1'))))
    Import-Module $manifest -Force -ErrorAction Stop

    $script:plainPassword = 'Pester-Pa55word!'
    $script:cred = New-Object System.Management.Automation.PSCredential ('apc', (ConvertTo-SecureString $script:plainPassword -AsPlainText -Force))

    function Clear-Inventory { Get-NmcDevice | Remove-NmcDevice -Confirm:$false }
}

AfterAll {
    Remove-Module SecureNmc -Force -ErrorAction SilentlyContinue
    $env:SECURENMC_HOME = $script:previousHome
    Remove-Item -Path $script:dataHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'The module' {
    It 'exports the device and setting cmdlets' {
        $names = (Get-Command -Module SecureNmc).Name
        foreach ($expected in 'Add-NmcDevice', 'New-NmcDevice', 'Get-NmcDevice', 'Set-NmcDevice', 'Remove-NmcDevice', 'Import-NmcDevice', 'Get-NmcSetting', 'Set-NmcSetting') {
            $names | Should -Contain $expected
        }
    }

    It 'has full help with examples for <_>' -ForEach @('Add-NmcDevice', 'Get-NmcDevice', 'Import-NmcDevice') {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match 'CommonParameters'   # without MAML, Get-Help shows a generated syntax stub here
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
    }
}

Describe 'Add-NmcDevice and Get-NmcDevice' {
    BeforeEach { Clear-Inventory }

    It 'adds one device by parameters and -PassThru returns it' {
        $device = Add-NmcDevice -SkipQuery -Host 10.0.0.5 -Name 'UPS Rack 4' -Credential $script:cred -PassThru
        $device.Host | Should -Be '10.0.0.5'
        $device.Name | Should -Be 'UPS Rack 4'
        $device.Port | Should -Be 22
        $device.HasStoredCredential | Should -BeTrue
        (Get-NmcDevice -Name 'UPS Rack 4').Id | Should -Be $device.Id
    }

    It 'reports a duplicate instead of adding it twice' {
        Add-NmcDevice -SkipQuery -Host 10.0.0.5
        Add-NmcDevice -SkipQuery -Host 10.0.0.5 -ErrorAction SilentlyContinue -ErrorVariable duplicateErrors
        $duplicateErrors.Count | Should -Be 1
        $duplicateErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.DeviceAlreadyExists*'
        @(Get-NmcDevice).Count | Should -Be 1
    }

    It 'adds a fleet from Import-Csv with the headers people use, reporting bad rows' {
        $csv = Join-Path $TestDrive 'fleet.csv'
        Set-Content -Path $csv -Value @(
            'IPAddress,Name,Protocol,Port'
            '10.0.1.1,ups-a,SCP,22'
            '10.0.1.2,ups-b,FTP,'
            '999.1.1.1,broken,SCP,22'
        )
        Import-Csv $csv | Add-NmcDevice -SkipQuery -Credential $script:cred -ErrorAction SilentlyContinue -ErrorVariable rowErrors
        $rowErrors.Count | Should -Be 1
        $rowErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.InvalidDevice*'
        (Get-NmcDevice -Name 'ups-b').Port | Should -Be 21
        @(Get-NmcDevice -Name 'ups-*').Count | Should -Be 2
    }

    It 'filters with wildcards on name and host and reports a missing literal name' {
        Add-NmcDevice -SkipQuery -Host 10.0.2.1 -Name lab-1
        Add-NmcDevice -SkipQuery -Host 10.0.2.2 -Name lab-2
        Add-NmcDevice -SkipQuery -Host pdu.example.net -Name rack-pdu
        @(Get-NmcDevice 'lab-*').Count | Should -Be 2
        @(Get-NmcDevice -Host '10.0.2.*').Count | Should -Be 2
        @(Get-NmcDevice -Status 'Unknown').Count | Should -Be 3
        Get-NmcDevice -Name 'no-such-card' -ErrorAction SilentlyContinue -ErrorVariable missing
        $missing[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.DeviceNotFound*'
    }

    It 're-reads piped device objects from the inventory by Id' {
        $device = Add-NmcDevice -SkipQuery -Host 10.0.2.9 -Name reread -PassThru
        Set-NmcDevice -Device reread -Port 5022
        ($device | Get-NmcDevice).Port | Should -Be 5022
    }

    It 'shows the fleet table with the status in the SNS wording' {
        Add-NmcDevice -SkipQuery -Host 10.0.3.1 -Name table-test
        # At the width of a typical console; the view fits 120 columns (Views.Tests.ps1 checks every column).
        $table = Get-NmcDevice | Format-Table | Out-String -Width 120
        $table | Should -Match 'AppVersion'
        $table | Should -Match 'table-test'
        $table | Should -Match 'Unknown'
    }

    It 'never writes the password in plain text to the data folder' {
        Add-NmcDevice -SkipQuery -Host 10.0.4.1 -Credential $script:cred
        foreach ($file in Get-ChildItem -Path $script:dataHome -File -Recurse) {
            Get-Content -Path $file.FullName -Raw | Should -Not -Match ([regex]::Escape($script:plainPassword))
        }
    }
}

Describe 'New-NmcDevice' {
    BeforeEach { Clear-Inventory }

    It 'builds a device without saving it' {
        $device = New-NmcDevice -Host 10.0.5.1 -Protocol FTP
        $device.Port | Should -Be 21
        @(Get-NmcDevice).Count | Should -Be 0
    }

    It 'pipes into Add-NmcDevice, which keeps the id and the encrypted credential' {
        $device = New-NmcDevice -Host 10.0.5.2 -Credential $script:cred
        $added = $device | Add-NmcDevice -SkipQuery -PassThru
        $added.Id | Should -Be $device.Id
        $added.HasStoredCredential | Should -BeTrue
        (Get-NmcDevice -Host 10.0.5.2).ProtectedPassword | Should -Be $device.ProtectedPassword
    }
}

Describe 'Set-NmcDevice' {
    BeforeEach { Clear-Inventory }

    It 'switches protocol (and the default port with it) for piped devices' {
        Add-NmcDevice -SkipQuery -Host 10.0.6.1 -Name set-a
        Get-NmcDevice set-a | Set-NmcDevice -Protocol FTP
        $device = Get-NmcDevice set-a
        $device.Protocol | Should -Be 'Ftp'
        $device.Port | Should -Be 21
    }

    It 'renames by name and changes the credential' {
        Add-NmcDevice -SkipQuery -Host 10.0.6.2 -Name old-name
        $changed = Set-NmcDevice -Device old-name -NewName new-name -Credential $script:cred -PassThru
        $changed.Name | Should -Be 'new-name'
        $changed.UserName | Should -Be 'apc'
        $changed.HasStoredCredential | Should -BeTrue
    }

    It 'changes nothing with -WhatIf' {
        Add-NmcDevice -SkipQuery -Host 10.0.6.3 -Name whatif-set
        Set-NmcDevice whatif-set -Port 5022 -WhatIf
        (Get-NmcDevice whatif-set).Port | Should -Be 22
    }
}

Describe 'Remove-NmcDevice' {
    BeforeEach { Clear-Inventory }

    It 'keeps devices under -WhatIf and removes them otherwise' {
        Add-NmcDevice -SkipQuery -Host 10.0.7.1 -Name rm-a
        Add-NmcDevice -SkipQuery -Host 10.0.7.2 -Name rm-b
        Remove-NmcDevice 'rm-*' -WhatIf
        @(Get-NmcDevice).Count | Should -Be 2
        Remove-NmcDevice 'rm-*' -Confirm:$false
        @(Get-NmcDevice).Count | Should -Be 0
    }

    It 'reports a device that is not in the inventory' {
        Remove-NmcDevice -Device 'not-there' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable notFound
        $notFound[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.DeviceNotFound*'
    }
}

Describe 'Import-NmcDevice' {
    BeforeEach { Clear-Inventory }

    It 'adds good lines, reports each bad line with its number, and warns about plaintext passwords' {
        $file = Join-Path $TestDrive 'devices.csv'
        Set-Content -Path $file -Value @(
            '; SNS Tool device file'
            'Host,Protocol,Port,UserName,Password,Name'
            '10.0.8.1,SCP,22,apc,Secret-One1,imp-a'
            '10.0.8.2,SCP,abc,apc,Secret-Two2,imp-bad'
            '10.0.8.3,FTP,21,apc,Secret-Three3,imp-c'
        )
        $added = Import-NmcDevice -Path $file -PassThru -ErrorAction SilentlyContinue -ErrorVariable lineErrors -WarningVariable warnings -WarningAction SilentlyContinue
        @($added).Count | Should -Be 2
        $lineErrors.Count | Should -Be 1
        $lineErrors[0].ToString() | Should -Match 'line 4'
        ($warnings -join ' ') | Should -Match 'plain text'
        (Get-NmcDevice imp-c).Protocol | Should -Be 'Ftp'
        foreach ($stored in Get-ChildItem -Path $script:dataHome -File -Recurse) {
            Get-Content -Path $stored.FullName -Raw | Should -Not -Match 'Secret-One1'
        }
    }
}

Describe 'Settings' {
    It 'shows defaults and changes a value' {
        (Get-NmcSetting -Name MaxFirmwareUpdateAttempts).Value | Should -Be 3
        Set-NmcSetting -MaxFirmwareUpdateAttempts 5
        (Get-NmcSetting -Name MaxFirmwareUpdateAttempts).Value | Should -Be 5
        Set-NmcSetting -Reset MaxFirmwareUpdateAttempts
        (Get-NmcSetting -Name MaxFirmwareUpdateAttempts).IsDefault | Should -BeTrue
    }
}

Describe 'Set-NmcDevice -AllowLegacySsh' {
    It 'opts one card in to the legacy SSH algorithms and back out, and -WhatIf changes nothing' {
        Add-NmcDevice -Host '10.0.9.1' -Name 'legacy-card' -SkipQuery
        Add-NmcDevice -Host '10.0.9.2' -Name 'modern-card' -SkipQuery
        Set-NmcDevice -Device 'legacy-card' -AllowLegacySsh $true -WhatIf
        (Get-NmcDevice -Name 'legacy-card').AllowLegacySsh | Should -BeFalse
        Set-NmcDevice -Device 'legacy-card' -AllowLegacySsh $true -Confirm:$false
        (Get-NmcDevice -Name 'legacy-card').AllowLegacySsh | Should -BeTrue
        (Get-NmcDevice -Name 'modern-card').AllowLegacySsh | Should -BeFalse
        Set-NmcDevice -Device 'legacy-card' -AllowLegacySsh $false -Confirm:$false
        (Get-NmcDevice -Name 'legacy-card').AllowLegacySsh | Should -BeFalse
    }
}
