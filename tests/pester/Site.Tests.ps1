#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Sites and shares of a fleet (issue 14): -Site on Add/Set/Get-NmcDevice, the CSV column, and
# Get-NmcDevice -Partition k/N splitting a fleet among workers, through Import-Module.

BeforeAll {
    $script:previousHome = $env:SECURENMC_HOME
    $script:dataHome = Join-Path ([System.IO.Path]::GetTempPath()) ('securenmc-pester-' + [guid]::NewGuid().ToString('N'))
    New-Item -ItemType Directory -Path $script:dataHome | Out-Null
    $env:SECURENMC_HOME = $script:dataHome
    $manifest = Join-Path $PSScriptRoot (Join-Path '..' (Join-Path '..' (Join-Path 'out' (Join-Path 'SecureNmc' 'SecureNmc.psd1'))))
    Import-Module $manifest -Force -ErrorAction Stop
    function Clear-Inventory { Get-NmcDevice | Remove-NmcDevice -Confirm:$false }
}

AfterAll {
    Remove-Module SecureNmc -Force -ErrorAction SilentlyContinue
    $env:SECURENMC_HOME = $script:previousHome
    Remove-Item -Path $script:dataHome -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Device sites' {
    BeforeEach { Clear-Inventory }

    It 'Add-NmcDevice -Site stores the site, Set-NmcDevice -Site changes and clears it, Format-List shows it' {
        Add-NmcDevice -Host 10.0.9.1 -Name site-a -Site ' Berlin-DC1 ' -SkipQuery
        (Get-NmcDevice site-a).Site | Should -Be 'Berlin-DC1'
        (Get-Content (Join-Path $script:dataHome 'inventory.json') -Raw) | Should -Match '"site": "Berlin-DC1"'
        (Get-NmcDevice site-a | Format-List | Out-String -Width 120) | Should -Match 'Site\s+: Berlin-DC1'
        Set-NmcDevice site-a -Site Paris -Confirm:$false
        (Get-NmcDevice site-a).Site | Should -Be 'Paris'
        Set-NmcDevice site-a -Site '' -Confirm:$false
        (Get-NmcDevice site-a).Site | Should -BeNullOrEmpty
    }

    It 'refuses a site with a control character, naming the device' {
        { Add-NmcDevice -Host 10.0.9.2 -Site "a`tb" -SkipQuery -ErrorAction Stop } | Should -Throw '*10.0.9.2*control character*'
        { Set-NmcDevice 10.0.9.2 -Site "a`nb" -ErrorAction Stop } | Should -Throw '*site contains a control character*'
    }

    It 'Get-NmcDevice -Site filters with wildcards and ignores case' {
        Add-NmcDevice -Host 10.0.9.3 -Name b1 -Site Berlin-DC1 -SkipQuery
        Add-NmcDevice -Host 10.0.9.4 -Name b2 -Site Berlin-DC2 -SkipQuery
        Add-NmcDevice -Host 10.0.9.5 -Name p1 -Site Paris -SkipQuery
        Add-NmcDevice -Host 10.0.9.6 -Name none -SkipQuery
        (Get-NmcDevice -Site 'berlin-*').Name | Sort-Object | Should -Be @('b1', 'b2')
        (Get-NmcDevice -Site PARIS).Name | Should -Be 'p1'
        @(Get-NmcDevice -Site 'Rome').Count | Should -Be 0
        (Get-NmcDevice -Site 'Berlin-DC2', 'Paris').Name | Sort-Object | Should -Be @('b2', 'p1')
    }

    It 'takes the Site column of a CSV file, through Import-NmcDevice and Import-Csv | Add-NmcDevice' {
        $file = Join-Path $TestDrive 'sites.csv'
        Set-Content -Path $file -Value @(
            'Host,Name,Site'
            '10.0.9.10,csv-a,Lyon'
            '10.0.9.11,csv-b,'
        )
        Import-NmcDevice -Path $file -Confirm:$false
        (Get-NmcDevice csv-a).Site | Should -Be 'Lyon'
        (Get-NmcDevice csv-b).Site | Should -BeNullOrEmpty
        $piped = Join-Path $TestDrive 'piped.csv'
        Set-Content -Path $piped -Value @('IPAddress,DeviceName,SiteName', '10.0.9.12,csv-c,Oslo')
        Import-Csv $piped | Add-NmcDevice -SkipQuery
        (Get-NmcDevice csv-c).Site | Should -Be 'Oslo'
    }
}

Describe 'Get-NmcDevice -Partition' {
    BeforeAll {
        Get-NmcDevice | Remove-NmcDevice -Confirm:$false
        1..300 | ForEach-Object { [pscustomobject]@{ Host = "10.1.$([math]::Floor($_ / 250)).$($_ % 250 + 1)"; Site = 'Big' } } | Add-NmcDevice -SkipQuery
    }

    It 'puts every card in exactly one of N shares' {
        $all = @(Get-NmcDevice).Id
        $all.Count | Should -Be 300
        $seen = @{}
        foreach ($k in 1..4) {
            $share = @(Get-NmcDevice -Site Big -Partition "$k/4")
            $share.Count | Should -BeGreaterThan 30
            foreach ($d in $share) { $seen.ContainsKey($d.Id) | Should -BeFalse; $seen[$d.Id] = $k }
        }
        $seen.Count | Should -Be 300
        # The same share again (another worker, another session) is the same set.
        (@(Get-NmcDevice -Partition 2/4).Id | Sort-Object) | Should -Be (@($seen.Keys | Where-Object { $seen[$_] -eq 2 }) | Sort-Object)
    }

    It 'refuses <_> with a clear error' -ForEach @('3', '0/4', '5/4', 'a/b', '1/0') {
        { Get-NmcDevice -Partition $_ -ErrorAction Stop } | Should -Throw "*'$_'*k/N*"
    }
}
