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
    # The issue's proof: shares that are disjoint and complete over 10,000 devices, added through the
    # module as a user would (a pipeline into Add-NmcDevice -SkipQuery), for several N.
    BeforeAll {
        Get-NmcDevice | Remove-NmcDevice -Confirm:$false
        $script:fleetSize = 10000
        1..$script:fleetSize | ForEach-Object { [pscustomobject]@{ Host = "10.$([math]::Floor($_ / 62500)).$([math]::Floor($_ / 250) % 250).$($_ % 250 + 1)"; Site = 'Big' } } |
            Add-NmcDevice -SkipQuery
        $script:all = @(Get-NmcDevice -Site Big | ForEach-Object { $_.Id.ToString() })
    }

    # How fast the import runs is not asserted here (a timing goal belongs to a benchmark, not a test
    # that a loaded machine can fail); that every row arrived, once, is.
    It 'added all 10,000 devices through the pipeline, each once' {
        $script:all.Count | Should -Be $script:fleetSize
        @($script:all | Sort-Object -Unique).Count | Should -Be $script:fleetSize
    }

    It 'puts every one of 10,000 cards in exactly one of <_> shares, each share stable and near 1/N of the fleet' -ForEach @(2, 3, 8, 16) {
        $n = $_
        $owner = @{}
        foreach ($k in 1..$n) {
            $share = @(Get-NmcDevice -Site Big -Partition "$k/$n" | ForEach-Object { $_.Id.ToString() })
            # Near an even split: a stable hash of the id, not a sort, so within 25% of 1/N.
            $share.Count | Should -BeGreaterThan ($script:fleetSize / $n * 0.75)
            $share.Count | Should -BeLessThan ($script:fleetSize / $n * 1.25)
            foreach ($id in $share) {
                $owner.ContainsKey($id) | Should -BeFalse -Because "card $id must be in one share only, but it is in $($owner[$id])/$n and $k/$n"
                $owner[$id] = $k
            }
        }
        # Complete: the shares together are the fleet, no card left out.
        $owner.Count | Should -Be $script:fleetSize
        @($script:all | Where-Object { -not $owner.ContainsKey($_) }).Count | Should -Be 0
        # Stable: the same share read again (another worker, another session) is the same set.
        $again = @(Get-NmcDevice -Partition "$n/$n" | ForEach-Object { $_.Id.ToString() }) | Sort-Object
        $again | Should -Be (@($owner.Keys | Where-Object { $owner[$_] -eq $n }) | Sort-Object)
    }

    It 'keeps every card in its share when other cards join or leave the fleet' {
        $before = @{}
        foreach ($k in 1..8) { Get-NmcDevice -Partition "$k/8" | ForEach-Object { $before[$_.Id.ToString()] = $k } }
        Add-NmcDevice -Host 10.99.0.1 -Site Big -SkipQuery
        Get-NmcDevice -Host '10.0.0.2' | Remove-NmcDevice -Confirm:$false
        foreach ($k in 1..8) {
            Get-NmcDevice -Partition "$k/8" | ForEach-Object {
                $id = $_.Id.ToString()
                if ($before.ContainsKey($id)) { $before[$id] | Should -Be $k }
            }
        }
    }

    It 'refuses <_> with a clear error' -ForEach @('3', '0/4', '5/4', 'a/b', '1/0') {
        { Get-NmcDevice -Partition $_ -ErrorAction Stop } | Should -Throw "*'$_'*k/N*"
    }
}
