#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# New-NmcSimulatorFirmware end to end through Import-Module: simulator test packages written for the
# application types of piped devices and simulated cards, imported with Import-NmcFirmware, and bad
# input refused with errors naming the value. Run: ./build.ps1 -Task Pester

BeforeAll {
    $script:previousHome = $env:SECURENMC_HOME
    $script:dataHome = Join-Path ([System.IO.Path]::GetTempPath()) ('securenmc-pester-simfw-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:dataHome | Out-Null
    $env:SECURENMC_HOME = $script:dataHome

    $manifest = Join-Path $PSScriptRoot (Join-Path '..' (Join-Path '..' (Join-Path 'out' (Join-Path 'SecureNmc' 'SecureNmc.psd1'))))
    Import-Module $manifest -Force -ErrorAction Stop

    function New-Folder {
        $path = Join-Path $script:dataHome ([guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $path
    }
    function Read-Package($file) {
        $problem = $null
        [SecureNmc.Simulator.Firmware.SimulatorFirmwarePackage]::TryRead([System.IO.File]::ReadAllBytes($file.FullName), [ref] $problem)
    }
}

AfterAll {
    Stop-NmcSimulator -ErrorAction SilentlyContinue
    Remove-Module SecureNmc -Force -ErrorAction SilentlyContinue
    $env:SECURENMC_HOME = $script:previousHome
    Remove-Item -Path $script:dataHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'New-NmcSimulatorFirmware' {
    AfterEach {
        Stop-NmcSimulator
        Get-NmcDevice | Remove-NmcDevice -Confirm:$false
    }

    It 'writes one package per distinct type of the piped devices and they import and target every card' {
        Start-NmcSimulator -Count 4 -TimeScale 0 -ApplicationType SU, RPDU2G | Add-NmcDevice
        $folder = New-Folder
        $files = @(Get-NmcDevice | New-NmcSimulatorFirmware -Path $folder -Version 2.9.0.2)
        $files.Count | Should -Be 2
        $files | ForEach-Object { $_ | Should -BeOfType ([System.IO.FileInfo]) }
        ($files.Name | Sort-Object) | Should -Be @('apc_hw21_rpdu2g_2.9.0.2.nmc3', 'apc_hw21_su_2.9.0.2.nmc3')
        @(Get-ChildItem -Path $folder).Count | Should -Be 2
        $package = Read-Package $files[0]
        $package.ApplicationVersion | Should -Be '2.9.0.2'
        $package.CarriesBootloader | Should -BeFalse

        $imported = @($files | Import-NmcFirmware)
        $imported.Count | Should -Be 2
        Get-NmcDevice | ForEach-Object { $_.AvailableFirmwareVersion | Should -Be '2.9.0.2' }
    }

    It 'takes simulated cards and named types, with AOS and bootloader versions' {
        $folder = New-Folder
        $fromCards = @(Start-NmcSimulator -Count 2 -TimeScale 0 -ApplicationType EU1P | New-NmcSimulatorFirmware -Path $folder -Version 2.9.0.2 -AosVersion 2.9.0.3 -BootloaderVersion 1.6.0.1)
        $fromCards.Name | Should -Be 'apc_hw21_eu1p_2.9.0.2.nmc3'
        $package = Read-Package $fromCards[0]
        $package.AosVersion | Should -Be '2.9.0.3'
        $package.BootloaderVersion | Should -Be '1.6.0.1'

        $named = @(New-NmcSimulatorFirmware $folder SU, sy -Version 2.9.0.2)
        ($named.Name | Sort-Object) | Should -Be @('apc_hw21_su_2.9.0.2.nmc3', 'apc_hw21_sy_2.9.0.2.nmc3')
    }

    It 'keeps an identical file, and never replaces a different file of the same name without -Force' {
        $folder = New-Folder
        $first = New-NmcSimulatorFirmware -Path $folder -ApplicationType SU -Version 2.9.0.2
        (New-NmcSimulatorFirmware -Path $folder -ApplicationType SU -Version 2.9.0.2 -ErrorVariable againErrors).FullName | Should -Be $first.FullName
        @($againErrors).Count | Should -Be 0

        Set-Content -Path $first.FullName -Value 'a real download'
        New-NmcSimulatorFirmware -Path $folder -ApplicationType SU -Version 2.9.0.2 -ErrorAction SilentlyContinue -ErrorVariable keepErrors | Should -BeNullOrEmpty
        @($keepErrors).Count | Should -Be 1
        $keepErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.SimulatorFirmwareNotWritten*'
        $keepErrors[0].Exception.Message | Should -BeLike "*$($first.Name)*-Force*"
        Get-Content -Path $first.FullName | Should -Be 'a real download'

        New-NmcSimulatorFirmware -Path $folder -ApplicationType SU -Version 2.9.0.2 -Force | Should -Not -BeNullOrEmpty
        (Read-Package $first) | Should -Not -BeNullOrEmpty
    }

    It 'writes nothing with -WhatIf' {
        $folder = New-Folder
        New-NmcSimulatorFirmware -Path $folder -ApplicationType SU -Version 2.9.0.2 -WhatIf | Should -BeNullOrEmpty
        @(Get-ChildItem -Path $folder).Count | Should -Be 0
    }
}

Describe 'New-NmcSimulatorFirmware bad input' {
    It 'refuses a version that is not four numbers, naming it' {
        $folder = New-Folder
        { New-NmcSimulatorFirmware -Path $folder -ApplicationType SU -Version latest } | Should -Throw -ErrorId 'SecureNmc.InvalidSimulatorFirmware,*'
        try { New-NmcSimulatorFirmware -Path $folder -ApplicationType SU -Version 2.9 } catch { $message = $_.Exception.Message }
        $message | Should -BeLike "*-Version '2.9' is not an NMC3 firmware version*such as 2.9.0.2*"
        @(Get-ChildItem -Path $folder).Count | Should -Be 0
    }

    It 'refuses a folder that does not exist, naming it, and creates nothing' {
        $missing = Join-Path $script:dataHome 'no-such-folder'
        { New-NmcSimulatorFirmware -Path $missing -ApplicationType SU -Version 2.9.0.2 } | Should -Throw -ErrorId 'SecureNmc.InvalidSimulatorFirmware,*'
        try { New-NmcSimulatorFirmware -Path $missing -ApplicationType SU -Version 2.9.0.2 } catch { $message = $_.Exception.Message }
        $message | Should -BeLike "*$missing*does not exist*"
        Test-Path $missing | Should -BeFalse
    }

    It 'reports an unknown type, an NMC2 card and a device never queried, and still writes the good types' {
        $folder = New-Folder
        $files = @(New-NmcSimulatorFirmware -Path $folder -ApplicationType SU, Bogus, sumx -Version 2.9.0.2 -ErrorAction SilentlyContinue -ErrorVariable typeErrors)
        $files.Name | Should -Be 'apc_hw21_su_2.9.0.2.nmc3'
        @($typeErrors).Count | Should -Be 2
        $typeErrors | ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'SecureNmc.InvalidApplicationType*' }
        $typeErrors[0].Exception.Message | Should -BeLike "*'Bogus' is not an NMC3 application type*SU, SY*"
        $typeErrors[1].Exception.Message | Should -BeLike "*'sumx' is an NMC2 application*"

        Add-NmcDevice -SkipQuery -Host 10.0.9.9 -Name never-queried
        Get-NmcDevice -Name never-queried | New-NmcSimulatorFirmware -Path $folder -Version 2.9.0.2 -ErrorAction SilentlyContinue -ErrorVariable queryErrors | Should -BeNullOrEmpty
        @($queryErrors).Count | Should -Be 1
        $queryErrors[0].Exception.Message | Should -BeLike '*run Update-NmcDevice first*'
        Get-NmcDevice -Name never-queried | Remove-NmcDevice -Confirm:$false
    }

    It 'asks for an application type when none is given or piped' {
        $folder = New-Folder
        { New-NmcSimulatorFirmware -Path $folder -Version 2.9.0.2 } | Should -Throw -ErrorId 'SecureNmc.NoApplicationType,*'
    }
}
