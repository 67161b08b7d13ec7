#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The air-gapped round trip through the cmdlets, between two data folders (two SECURENMC_HOME
# values stand for two machines): export on A, import on B, change on B, export back, import on A.
# Licences and firmware travel the same way; their round trip is proven in xunit
# (tests/SecureNmc.Core.Tests/DataExchange), where signed licences and firmware files can be made.
# Run: ./build.ps1 -Task Pester

BeforeAll {
    $script:previousHome = $env:SECURENMC_HOME
    $script:root = Join-Path ([System.IO.Path]::GetTempPath()) ('securenmc-bundle-pester-' + [guid]::NewGuid().ToString('N'))
    $script:homeA = Join-Path $script:root 'machine-a'
    $script:homeB = Join-Path $script:root 'machine-b'
    $script:files = Join-Path $script:root 'transfer'
    New-Item -ItemType Directory -Path $script:homeA, $script:homeB, $script:files | Out-Null

    $manifest = Join-Path $PSScriptRoot (Join-Path '..' (Join-Path '..' (Join-Path 'out' (Join-Path 'SecureNmc' 'SecureNmc.psd1'))))
    Import-Module $manifest -Force -ErrorAction Stop

    $script:cardPassword = 'Card-Pa55word!'
    $script:cred = New-Object System.Management.Automation.PSCredential ('apc', (ConvertTo-SecureString $script:cardPassword -AsPlainText -Force))
    $script:bundlePassword = ConvertTo-SecureString 'Bundle pass phrase 7' -AsPlainText -Force
    $script:wrongPassword = ConvertTo-SecureString 'not the pass phrase' -AsPlainText -Force

    function Use-Machine([string] $name) {
        $env:SECURENMC_HOME = if ($name -eq 'A') { $script:homeA } else { $script:homeB }
    }

    # Every file of a data folder and its SHA-256 (lock files excepted: they are never deleted, by design).
    function Get-FolderState([string] $folder) {
        $lines = @(Get-ChildItem -Path $folder -Recurse -File |
            Where-Object { $_.Name -notlike '*.lock' -and $_.Name -notlike '*.lock.queue' } |
            Sort-Object FullName |
            ForEach-Object { '{0} {1}' -f $_.FullName.Substring($folder.Length), (Get-FileHash -Path $_.FullName -Algorithm SHA256).Hash })
        # One string, so an empty folder compares as '' rather than as an empty pipeline.
        $lines -join "`n"
    }

    Use-Machine A
    Add-NmcDevice -SkipQuery -Host 10.20.0.1 -Name 'UPS North' -Credential $script:cred
    Add-NmcDevice -SkipQuery -Host 10.20.0.2 -Name '=HYPERLINK("http://evil","x")' -Credential $script:cred
    Add-NmcDevice -SkipQuery -Host ups3.example.com -Name 'UPS, "East"'
}

AfterAll {
    Remove-Module SecureNmc -Force -ErrorAction SilentlyContinue
    $env:SECURENMC_HOME = $script:previousHome
    Remove-Item -Path $script:root -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Export-NmcBundle on machine A' {
    BeforeEach { Use-Machine A }

    It 'refuses a bundle with credentials and no password, writing nothing' {
        $path = Join-Path $script:files 'no-password.snmc'
        { Export-NmcBundle -Path $path -ErrorAction Stop } | Should -Throw -ErrorId 'SecureNmc.BundlePasswordRequired*'
        Test-Path $path | Should -BeFalse
    }

    It 'writes a password-protected bundle of every device' {
        $result = Export-NmcBundle -Path (Join-Path $script:files 'to-b.snmc') -Password $script:bundlePassword
        $result.Encrypted | Should -BeTrue
        $result.Devices | Should -Be 3
        $result.DevicesWithCredentials | Should -Be 2
        $bytes = [System.IO.File]::ReadAllBytes((Join-Path $script:files 'to-b.snmc'))
        [System.Text.Encoding]::ASCII.GetString($bytes) | Should -Not -Match ([regex]::Escape($script:cardPassword))
    }

    It 'refuses to overwrite without -Force and replaces with -Force' {
        $path = Join-Path $script:files 'to-b.snmc'
        $before = (Get-FileHash $path).Hash
        { Export-NmcBundle -Path $path -Password $script:bundlePassword -ErrorAction Stop } | Should -Throw -ErrorId 'SecureNmc.ExportFileExists*'
        (Get-FileHash $path).Hash | Should -Be $before
        Export-NmcBundle -Path $path -Password $script:bundlePassword -Force | Out-Null
        (Get-FileHash $path).Hash | Should -Not -Be $before   # fresh salt, so new bytes
    }

    It 'exports piped devices only, and an empty pipeline exports nothing' {
        $result = Get-NmcDevice -Name 'UPS North' | Export-NmcBundle -Path (Join-Path $script:files 'one.snmc') -Password $script:bundlePassword
        $result.Devices | Should -Be 1
        @(Get-NmcDevice -Name 'no such device*' | Export-NmcBundle -Path (Join-Path $script:files 'none.snmc') -WarningAction SilentlyContinue).Count | Should -Be 0
        Test-Path (Join-Path $script:files 'none.snmc') | Should -BeFalse
    }

    It 'writes a CSV without credentials and with formulas neutralised' {
        $path = Join-Path $script:files 'devices.csv'
        Export-NmcBundle -Path $path -Format Csv | Out-Null
        $rows = @(Import-Csv -Path $path)
        $rows.Count | Should -Be 3
        ($rows | Where-Object Host -eq '10.20.0.2').Name | Should -Be '''=HYPERLINK("http://evil","x")'
        ($rows | Where-Object Host -eq 'ups3.example.com').Name | Should -Be 'UPS, "East"'
        $rows[0].PSObject.Properties.Name | Should -Not -Contain 'Password'
        $rows[0].PSObject.Properties.Name | Should -Not -Contain 'UserName'
        Get-Content -Raw -Path $path | Should -Not -Match ([regex]::Escape($script:cardPassword))
    }
}

Describe 'Import-NmcBundle on machine B' {
    BeforeEach { Use-Machine B }

    It 'refuses a wrong password and leaves the data folder as it was' {
        $before = Get-FolderState $script:homeB
        Import-NmcBundle -Path (Join-Path $script:files 'to-b.snmc') -Password $script:wrongPassword -ErrorAction SilentlyContinue -ErrorVariable importErrors
        $importErrors.Count | Should -Be 1
        $importErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.BundleWrongPassword*'
        Get-FolderState $script:homeB | Should -Be $before
    }

    It 'refuses a tampered bundle and leaves the data folder as it was' {
        $tampered = Join-Path $script:files 'tampered.snmc'
        $bytes = [System.IO.File]::ReadAllBytes((Join-Path $script:files 'to-b.snmc'))
        $bytes[[int]($bytes.Length / 2)] = $bytes[[int]($bytes.Length / 2)] -bxor 0x01
        [System.IO.File]::WriteAllBytes($tampered, $bytes)
        $before = Get-FolderState $script:homeB
        Import-NmcBundle -Path $tampered -Password $script:bundlePassword -ErrorAction SilentlyContinue -ErrorVariable importErrors
        $importErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.BundleTampered*'
        Get-FolderState $script:homeB | Should -Be $before
    }

    It '-WhatIf verifies and changes nothing' {
        $before = Get-FolderState $script:homeB
        Import-NmcBundle -Path (Join-Path $script:files 'to-b.snmc') -Password $script:bundlePassword -WhatIf
        Get-FolderState $script:homeB | Should -Be $before
        @(Get-NmcDevice).Count | Should -Be 0
    }

    It 'adds the devices with their credentials' {
        $items = @(Import-NmcBundle -Path (Join-Path $script:files 'to-b.snmc') -Password $script:bundlePassword)
        @($items | Where-Object { $_.Kind -eq 'Device' -and $_.Action -eq 'Added' }).Count | Should -Be 3
        (Get-NmcDevice -Name 'UPS North').HasStoredCredential | Should -BeTrue
        (Get-NmcDevice -Name 'UPS, "East"').HasStoredCredential | Should -BeFalse
    }

    It 'skips devices already present, with a warning per device' {
        $items = @(Import-NmcBundle -Path (Join-Path $script:files 'to-b.snmc') -Password $script:bundlePassword -WarningVariable skipped -WarningAction SilentlyContinue)
        @($items | Where-Object Action -eq 'Skipped').Count | Should -Be 3
        $skipped.Count | Should -Be 3
        @(Get-NmcDevice).Count | Should -Be 3
    }
}

Describe 'The results go back from B to A' {
    It 'brings a change made on B back to A with -Conflict Overwrite' {
        Use-Machine B
        Set-NmcDevice -Device 'UPS North' -NewName 'UPS North (updated)'
        $back = Join-Path $script:files 'to-a.snmc'
        Export-NmcBundle -Path $back -Include Devices -Password $script:bundlePassword | Out-Null

        Use-Machine A
        $idBefore = (Get-NmcDevice -Name 'UPS North').Id
        $items = @(Import-NmcBundle -Path $back -Password $script:bundlePassword -Conflict Overwrite)
        @($items | Where-Object Action -eq 'Overwritten').Count | Should -Be 3
        $device = Get-NmcDevice -Name 'UPS North (updated)'
        $device.Id | Should -Be $idBefore
        $device.HasStoredCredential | Should -BeTrue
        @(Get-NmcDevice).Count | Should -Be 3
    }
}
