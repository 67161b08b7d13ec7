#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Path parameters the PowerShell way, for every cmdlet that reads or writes files: -Path expands
# wildcards (a pattern or path that matches nothing is a PathNotFound error and $? is False),
# -LiteralPath takes [ ] as part of the name (Get-ChildItem output binds it by PSPath), relative
# paths start at Set-Location rather than the process directory, and nothing changes on an error.
# Run: ./build.ps1 -Task Pester   (or: Invoke-Pester tests/pester/Paths.Tests.ps1)

BeforeAll {
    $script:previousHome = $env:SECURENMC_HOME
    $script:previousLocation = Get-Location
    $script:previousProcessDirectory = [Environment]::CurrentDirectory
    $script:dataHome = Join-Path $TestDrive 'securenmc-home'
    New-Item -ItemType Directory -Path $script:dataHome | Out-Null
    $env:SECURENMC_HOME = $script:dataHome

    $manifest = Join-Path $PSScriptRoot (Join-Path '..' (Join-Path '..' (Join-Path 'out' (Join-Path 'SecureNmc' 'SecureNmc.psd1'))))
    Import-Module $manifest -Force -ErrorAction Stop

    # Every file of the data folder and its SHA-256 (lock files excepted: they are never deleted, by design).
    function Get-DataState {
        $lines = @(Get-ChildItem -LiteralPath $script:dataHome -Recurse -File |
            Where-Object { $_.Name -notlike '*.lock' -and $_.Name -notlike '*.lock.queue' } |
            Sort-Object FullName |
            ForEach-Object { '{0} {1}' -f $_.FullName.Substring($script:dataHome.Length), (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash })
        $lines -join "`n"
    }

    # A fresh folder under TestDrive; the location moves there and the process directory somewhere else,
    # so a relative path that resolved against the process directory would miss.
    function Enter-WorkFolder([string] $name) {
        $work = Join-Path $TestDrive $name
        $elsewhere = Join-Path $TestDrive ($name + '-process-directory')
        New-Item -ItemType Directory -Path $work, $elsewhere -Force | Out-Null
        Set-Location -LiteralPath $work
        [Environment]::CurrentDirectory = $elsewhere
        $work
    }

    function Exit-WorkFolder {
        Set-Location -LiteralPath $script:previousLocation
        [Environment]::CurrentDirectory = $script:previousProcessDirectory
    }

    function New-DeviceFile([string] $folder, [string] $name, [string] $deviceHost, [string] $deviceName) {
        $path = Join-Path $folder $name
        [System.IO.File]::WriteAllText($path, "Host,Name`n$deviceHost,$deviceName`n")
        $path
    }

    # Cards with the identity a query records, so planning and licensing can work without a network.
    $script:folder = [SecureNmc.Core.Storage.DataFolder]::ForRoot($script:dataHome)
    function Add-IdentifiedCard([string] $Name, [string] $HostAddress, [string] $Serial, [string] $Mac) {
        $device = Add-NmcDevice -SkipQuery -Host $HostAddress -Name $Name -PassThru
        $inventory = [SecureNmc.Core.Inventory.DeviceInventory]::new($script:folder)
        $inventory.Update($device.Id, [System.Action[SecureNmc.Core.Devices.NmcDevice]] {
                param($d)
                $d.SerialNumber = $Serial
                $d.MacAddress = $Mac
                $d.ApplicationType = 'SU'
                $d.Model = 'AP9641'
                $d.HardwareRevision = '05'
                $d.ApplicationVersion = '2.5.0.6'
                $d.AosVersion = '2.5.0.8'
                $d.BootloaderVersion = '1.5.1.1'
            }.GetNewClosure()) | Out-Null
    }
    Add-IdentifiedCard -Name 'ups-save' -HostAddress '127.0.0.21' -Serial 'PS2506000021' -Mac '28:29:86:CC:00:21'
    Add-IdentifiedCard -Name 'ups-literal' -HostAddress '127.0.0.22' -Serial 'PS2506000022' -Mac '28:29:86:CC:00:22'
    Add-IdentifiedCard -Name 'ups-pattern' -HostAddress '127.0.0.23' -Serial 'PS2506000023' -Mac '28:29:86:CC:00:23'

    # Bought recently: each card carries the included subscription. Only ups-save is activated online
    # (Save-NmcFirmware plans need it); the other two are activated offline, through files.
    $script:licensing = Get-NmcDevice | Start-NmcLicensingSimulator -PurchaseDate ((Get-Date).AddDays(-30)) -Confirm:$false
    Connect-NmcAccount -Credential $script:licensing.Credential -Confirm:$false | Out-Null
    Enable-NmcSubscription -Device 'ups-save' -Confirm:$false | Out-Null

    # Downloaded packages: one the cards need (SU 2.9.0.1) and one more (SY), for wildcard imports.
    $script:downloads = Join-Path $TestDrive 'downloads'
    $script:suPackage = [SecureNmc.Simulator.Firmware.SimulatorFirmwarePackage]::Create($script:downloads, 'SU', '2.9.0.2', '2.9.0.1', [NullString]::Value, 'hw21', 16384)
    $script:syPackage = [SecureNmc.Simulator.Firmware.SimulatorFirmwarePackage]::Create($script:downloads, 'SY', '2.9.0.2', '2.9.0.1', [NullString]::Value, 'hw21', 16384)
}

AfterAll {
    Set-Location -LiteralPath $script:previousLocation
    [Environment]::CurrentDirectory = $script:previousProcessDirectory
    Stop-NmcLicensingSimulator -Confirm:$false -ErrorAction SilentlyContinue
    Remove-Module SecureNmc -Force -ErrorAction SilentlyContinue
    $env:SECURENMC_HOME = $script:previousHome
}

Describe 'Import-NmcDevice' {
    BeforeAll {
        $script:work = Enter-WorkFolder 'devices'
        New-DeviceFile $script:work 'dev[1].csv' '10.31.0.1' 'bracket-device' | Out-Null
        New-DeviceFile $script:work 'site-a.csv' '10.31.0.2' 'site-a-device' | Out-Null
        New-DeviceFile $script:work 'site-b.csv' '10.31.0.3' 'site-b-device' | Out-Null
        New-DeviceFile $script:work 'here.csv' '10.31.0.4' 'from-location' | Out-Null
        New-DeviceFile ([Environment]::CurrentDirectory) 'here.csv' '10.31.0.5' 'from-process-directory' | Out-Null
    }
    AfterAll { Exit-WorkFolder }

    It '-Path with brackets is a pattern: no match is a PathNotFound error, $? is False and the inventory is unchanged' {
        $before = Get-DataState
        Import-NmcDevice -Path './dev[1].csv' -ErrorAction SilentlyContinue -ErrorVariable pathErrors
        $succeeded = $?
        $succeeded | Should -BeFalse
        @($pathErrors).Count | Should -Be 1
        $pathErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.PathNotFound,*'
        $pathErrors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $pathErrors[0].TargetObject | Should -Be './dev[1].csv'
        $pathErrors[0].ErrorDetails.Message | Should -BeLike "*'./dev``[1``].csv'*"
        $pathErrors[0].ErrorDetails.RecommendedAction | Should -BeLike '*-LiteralPath*'
        Get-DataState | Should -Be $before
    }

    It '-LiteralPath reads a file whose name has brackets' {
        $added = Import-NmcDevice -LiteralPath './dev[1].csv' -PassThru -WarningAction SilentlyContinue
        $added.Name | Should -Be 'bracket-device'
    }

    It '-Path with a wildcard imports every file it matches' {
        $added = @(Import-NmcDevice -Path 'site-*.csv' -PassThru -WarningAction SilentlyContinue)
        ($added.Name | Sort-Object) -join ',' | Should -Be 'site-a-device,site-b-device'
    }

    It 'resolves a relative path from Set-Location, not from the process directory' {
        $added = Import-NmcDevice -Path 'here.csv' -PassThru -WarningAction SilentlyContinue
        $added.Name | Should -Be 'from-location'
        Get-NmcDevice -Name 'from-process-directory' -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'a missing file without wildcards is PathNotFound naming the full path' {
        $before = Get-DataState
        Import-NmcDevice -Path 'missing.csv' -ErrorAction SilentlyContinue -ErrorVariable pathErrors
        $succeeded = $?
        $succeeded | Should -BeFalse
        $pathErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.PathNotFound,*'
        $pathErrors[0].ErrorDetails.Message | Should -BeLike ('*' + (Join-Path $script:work 'missing.csv') + '*')
        Get-DataState | Should -Be $before
    }

    It 'a path of another provider is PathNotFileSystem' {
        $before = Get-DataState
        Import-NmcDevice -LiteralPath 'Env:PATH' -ErrorAction SilentlyContinue -ErrorVariable pathErrors
        $succeeded = $?
        $succeeded | Should -BeFalse
        $pathErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.PathNotFileSystem,*'
        $pathErrors[0].ErrorDetails.Message | Should -BeLike '*Environment provider*'
        Get-DataState | Should -Be $before
    }
}

Describe 'Import-NmcFirmware' {
    BeforeAll {
        $script:work = Enter-WorkFolder 'firmware'
        $script:bracketFolder = Join-Path $script:work 'fw[1]'
        New-Item -ItemType Directory -Path $script:bracketFolder | Out-Null
        Copy-Item -LiteralPath $script:suPackage -Destination $script:bracketFolder
        Copy-Item -LiteralPath $script:suPackage, $script:syPackage -Destination $script:work
    }
    AfterAll { Exit-WorkFolder }

    It '-Path that matches no file is PathNotFound, $? is False and the library is unchanged' {
        $before = Get-DataState
        Import-NmcFirmware -Path 'fw[1]/*.nmc3' -ErrorAction SilentlyContinue -ErrorVariable pathErrors
        $succeeded = $?
        $succeeded | Should -BeFalse
        $pathErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.PathNotFound,*'
        $pathErrors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-DataState | Should -Be $before
        Get-NmcFirmware | Should -BeNullOrEmpty
    }

    It 'Get-ChildItem output binds -LiteralPath by PSPath, so a folder with brackets is read' {
        $imported = @(Get-ChildItem -LiteralPath $script:bracketFolder -Filter *.nmc3 | Import-NmcFirmware)
        $imported.Count | Should -Be 1
        $imported[0].FileName | Should -Be (Split-Path -Leaf $script:suPackage)
    }

    It '-LiteralPath reads a file in a folder whose name has brackets' {
        $imported = Import-NmcFirmware -LiteralPath (Join-Path 'fw[1]' (Split-Path -Leaf $script:suPackage))
        $imported.FileName | Should -Be (Split-Path -Leaf $script:suPackage)
    }

    It '-Path with a wildcard, relative to Set-Location, imports every package it matches' {
        $imported = @(Import-NmcFirmware -Path '*.nmc3')
        ($imported.FileName | Sort-Object) -join ',' | Should -Be ((@($script:suPackage, $script:syPackage) | ForEach-Object { Split-Path -Leaf $_ } | Sort-Object) -join ',')
    }

    It 'a folder is PathIsFolder, not an import' {
        $before = Get-DataState
        Import-NmcFirmware -LiteralPath 'fw[1]' -ErrorAction SilentlyContinue -ErrorVariable pathErrors
        $succeeded = $?
        $succeeded | Should -BeFalse
        $pathErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.PathIsFolder,*'
        Get-DataState | Should -Be $before
    }
}

Describe 'Export-NmcBundle and Import-NmcBundle' {
    BeforeAll {
        $script:work = Enter-WorkFolder 'bundles'
        $script:password = ConvertTo-SecureString 'Bundle pass phrase 7' -AsPlainText -Force
    }
    AfterAll { Exit-WorkFolder }

    It 'Export -Path with brackets that match nothing is OutputPathWildcard, and nothing is written' {
        { Export-NmcBundle -Path 'site[b].snmc' -Include Devices -Password $script:password -ErrorAction Stop } |
            Should -Throw -ErrorId 'SecureNmc.OutputPathWildcard,*'
        @(Get-ChildItem -LiteralPath $script:work).Count | Should -Be 0
    }

    It 'Export -LiteralPath writes a file whose name has brackets, relative to Set-Location' {
        $result = Export-NmcBundle -LiteralPath 'site[b].snmc' -Include Devices -Password $script:password
        $result.Devices | Should -BeGreaterThan 0
        Test-Path -LiteralPath (Join-Path $script:work 'site[b].snmc') | Should -BeTrue
        Test-Path -LiteralPath (Join-Path ([Environment]::CurrentDirectory) 'site[b].snmc') | Should -BeFalse
    }

    It 'Export -Path writes relative to Set-Location, not the process directory' {
        Export-NmcBundle -Path 'devices.csv' -Format Csv | Out-Null
        Test-Path -LiteralPath (Join-Path $script:work 'devices.csv') | Should -BeTrue
        Test-Path -LiteralPath (Join-Path ([Environment]::CurrentDirectory) 'devices.csv') | Should -BeFalse
    }

    It 'Export -Path with a wildcard that matches one existing file replaces that file' {
        $before = (Get-FileHash -LiteralPath (Join-Path $script:work 'devices.csv')).Hash
        Set-Content -LiteralPath (Join-Path $script:work 'devices.csv') -Value 'stale'
        Export-NmcBundle -Path 'dev*.csv' -Format Csv -Force | Out-Null
        (Get-FileHash -LiteralPath (Join-Path $script:work 'devices.csv')).Hash | Should -Be $before
    }

    It 'Export to another provider is PathNotFileSystem' {
        { Export-NmcBundle -Path 'Env:SECURENMC_EXPORT' -Format Csv -ErrorAction Stop } | Should -Throw -ErrorId 'SecureNmc.PathNotFileSystem,*'
    }

    It 'Import -Path with brackets is a pattern: no match is PathNotFound, $? is False and nothing changes' {
        $before = Get-DataState
        Import-NmcBundle -Path 'site[b].snmc' -Password $script:password -ErrorAction SilentlyContinue -ErrorVariable pathErrors
        $succeeded = $?
        $succeeded | Should -BeFalse
        $pathErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.PathNotFound,*'
        $pathErrors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-DataState | Should -Be $before
    }

    It 'Import -LiteralPath reads a bundle whose name has brackets' {
        $items = @(Import-NmcBundle -LiteralPath 'site[b].snmc' -Password $script:password -WarningAction SilentlyContinue)
        @($items | Where-Object Kind -eq 'Device').Count | Should -Be @(Get-NmcDevice).Count
    }

    It 'Import -Path with a wildcard resolves to the one bundle it matches, and refuses a pattern that matches several' {
        Copy-Item -LiteralPath (Join-Path $script:work 'site[b].snmc') -Destination (Join-Path $script:work 'copy-1.snmc')
        $items = @(Import-NmcBundle -Path 'copy-?.snmc' -Password $script:password -WarningAction SilentlyContinue)
        $items.Count | Should -BeGreaterThan 0

        Copy-Item -LiteralPath (Join-Path $script:work 'site[b].snmc') -Destination (Join-Path $script:work 'copy-2.snmc')
        $before = Get-DataState
        Import-NmcBundle -Path 'copy-?.snmc' -Password $script:password -ErrorAction SilentlyContinue -ErrorVariable pathErrors
        $pathErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.PathAmbiguous,*'
        $pathErrors[0].ErrorDetails.Message | Should -BeLike '*copy-1.snmc, copy-2.snmc*'
        Get-DataState | Should -Be $before
    }
}

Describe 'Offline activation files' {
    BeforeAll {
        $script:work = Enter-WorkFolder 'activation'
    }
    AfterAll { Exit-WorkFolder }

    It 'Export-NmcActivationRequest -Path with brackets that match nothing is OutputPathWildcard' {
        $before = Get-DataState
        { Export-NmcActivationRequest -Device 'ups-literal' -Path 'request[b].json' -Confirm:$false -ErrorAction Stop } |
            Should -Throw -ErrorId 'SecureNmc.OutputPathWildcard,*'
        @(Get-ChildItem -LiteralPath $script:work).Count | Should -Be 0
        Get-DataState | Should -Be $before
    }

    It 'Export-NmcActivationRequest writes -LiteralPath and relative -Path files at Set-Location' {
        (Export-NmcActivationRequest -Device 'ups-literal' -LiteralPath 'request[b].json' -Confirm:$false).Entries | Should -Be 1
        (Export-NmcActivationRequest -Device 'ups-pattern' -Path 'req-c.json' -Confirm:$false).Entries | Should -Be 1
        Test-Path -LiteralPath (Join-Path $script:work 'request[b].json') | Should -BeTrue
        Test-Path -LiteralPath (Join-Path $script:work 'req-c.json') | Should -BeTrue
        Test-Path -LiteralPath (Join-Path ([Environment]::CurrentDirectory) 'req-c.json') | Should -BeFalse
    }

    It 'Submit-NmcActivationRequest -Path with brackets is a pattern: no match is PathNotFound and nothing is written' {
        Submit-NmcActivationRequest -Path 'request[b].json' -ResponsePath 'response[b].json' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable pathErrors
        $succeeded = $?
        $succeeded | Should -BeFalse
        $pathErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.PathNotFound,*'
        $pathErrors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Test-Path -LiteralPath (Join-Path $script:work 'response[b].json') | Should -BeFalse
    }

    It 'Submit-NmcActivationRequest -Path refuses a pattern that matches two requests' {
        Submit-NmcActivationRequest -Path 'req*.json' -ResponsePath 'response.json' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable pathErrors
        $pathErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.PathAmbiguous,*'
        Test-Path -LiteralPath (Join-Path $script:work 'response.json') | Should -BeFalse
    }

    It 'Submit-NmcActivationRequest -LiteralPath reads a request with brackets and writes -ResponsePath as named' {
        $summary = Submit-NmcActivationRequest -LiteralPath 'request[b].json' -ResponsePath 'response[b].json' -Confirm:$false
        $summary.Licensed | Should -Be 1
        Test-Path -LiteralPath (Join-Path $script:work 'response[b].json') | Should -BeTrue
        Test-Path -LiteralPath (Join-Path ([Environment]::CurrentDirectory) 'response[b].json') | Should -BeFalse
    }

    It 'Submit-NmcActivationRequest -Path with a wildcard resolves to the one request it matches' {
        (Submit-NmcActivationRequest -Path 'req-?.json' -ResponsePath 'response-c.json' -Confirm:$false).Licensed | Should -Be 1
    }

    It 'Import-NmcActivationResponse -Path with brackets is a pattern: no match is PathNotFound and nothing is stored' {
        $before = Get-DataState
        Import-NmcActivationResponse -Path 'response[b].json' -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable pathErrors
        $succeeded = $?
        $succeeded | Should -BeFalse
        $pathErrors[0].FullyQualifiedErrorId | Should -BeLike 'SecureNmc.PathNotFound,*'
        $pathErrors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Get-DataState | Should -Be $before
    }

    It 'Import-NmcActivationResponse -LiteralPath reads a response with brackets' {
        $outcome = Import-NmcActivationResponse -LiteralPath 'response[b].json' -Confirm:$false
        $outcome.Succeeded | Should -BeTrue
        $outcome.DeviceName | Should -Be 'ups-literal'
    }

    It 'Import-NmcActivationResponse -Path with a wildcard, relative to Set-Location, resolves the one response it matches' {
        $outcome = Import-NmcActivationResponse -Path 'response-?.json' -Confirm:$false
        $outcome.DeviceName | Should -Be 'ups-pattern'
    }

    It "Submit-NmcActivationRequest's output binds Import-NmcActivationResponse -LiteralPath by ResponsePath" {
        $command = Get-Command Import-NmcActivationResponse
        $command.Parameters['LiteralPath'].Aliases | Should -Contain 'ResponsePath'
        $command.Parameters['Path'].Aliases | Should -Not -Contain 'ResponsePath'
    }
}

Describe 'Save-NmcFirmware' {
    BeforeAll {
        $script:work = Enter-WorkFolder 'staging'
        Import-NmcFirmware -LiteralPath $script:suPackage | Out-Null
        $script:needed = Split-Path -Leaf $script:suPackage
    }
    AfterAll { Exit-WorkFolder }

    It '-Path with brackets that match no folder is OutputPathWildcard, and nothing is created' {
        { Save-NmcFirmware -Path 'out[1]' -Device 'ups-save' -ErrorAction Stop } | Should -Throw -ErrorId 'SecureNmc.OutputPathWildcard,*'
        @(Get-ChildItem -LiteralPath $script:work).Count | Should -Be 0
    }

    It '-LiteralPath creates a folder whose name has brackets, relative to Set-Location' {
        $saved = Save-NmcFirmware -LiteralPath 'out[1]' -Device 'ups-save'
        $saved.FileName | Should -Be $script:needed
        Test-Path -LiteralPath (Join-Path (Join-Path $script:work 'out[1]') $script:needed) | Should -BeTrue
        Test-Path -LiteralPath (Join-Path ([Environment]::CurrentDirectory) 'out[1]') | Should -BeFalse
    }

    It '-Path with a wildcard that matches one existing folder writes into it' {
        Remove-Item -LiteralPath (Join-Path (Join-Path $script:work 'out[1]') $script:needed)
        Save-NmcFirmware -Path 'out?1?' -Device 'ups-save' | Out-Null
        Test-Path -LiteralPath (Join-Path (Join-Path $script:work 'out[1]') $script:needed) | Should -BeTrue
    }
}

Describe 'Set-NmcSetting -DataFolder' {
    BeforeAll {
        $script:work = Enter-WorkFolder 'settings'
    }
    AfterAll {
        Set-NmcSetting -Reset DataFolder -Confirm:$false -WarningAction SilentlyContinue
        Exit-WorkFolder
    }

    It 'stores a relative folder as a full path under Set-Location' {
        Set-NmcSetting -DataFolder 'nmc-data' -Confirm:$false -WarningAction SilentlyContinue
        (Get-NmcSetting -Name DataFolder).Value | Should -Be (Join-Path $script:work 'nmc-data')
    }

    It 'refuses a path of another provider and keeps the setting' {
        { Set-NmcSetting -DataFolder 'Env:NMC' -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'SecureNmc.PathNotFileSystem,*'
        (Get-NmcSetting -Name DataFolder).Value | Should -Be (Join-Path $script:work 'nmc-data')
    }
}
