#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module's surface as a whole: every exported cmdlet is driven by this suite (main use and bad
# input), and its help has a synopsis, a description and at least one example whose code runs as
# printed against a rehearsal fleet.

BeforeDiscovery {
    # The cmdlets, read from the manifest at discovery time (the module is loaded only in BeforeAll).
    $manifestPath = Join-Path $PSScriptRoot (Join-Path '..' (Join-Path '..' 'SecureNmc.psd1'))
    $script:exported = (Import-PowerShellDataFile -Path $manifestPath).CmdletsToExport
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:outerHome = Enter-TestHome 'securenmc-pester-cmdlets'
    Import-Module (Get-TestModuleManifest) -Force -ErrorAction Stop

    # Every command name each test file calls, from the PowerShell parser (not a text search).
    function Get-CalledCommand([string] $Path) {
        $ast = [System.Management.Automation.Language.Parser]::ParseFile($Path, [ref] $null, [ref] $null)
        $ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) |
            ForEach-Object { $_.GetCommandName() } | Where-Object { $_ } | Sort-Object -Unique
    }
    $testFiles = Get-ChildItem -LiteralPath $PSScriptRoot -Filter '*.Tests.ps1'
    $script:mainUse = $testFiles | Where-Object { $_.Name -notin 'BadInput.Tests.ps1', 'WhatIf.Tests.ps1', 'Cmdlets.Tests.ps1' } |
        ForEach-Object { Get-CalledCommand $_.FullName } | Sort-Object -Unique
    $badInputFile = Join-Path $PSScriptRoot 'BadInput.Tests.ps1'
    $script:badInputCases = [regex]::Matches((Get-Content -LiteralPath $badInputFile -Raw), "(?m)^\s+'([A-Za-z]+-Nmc[A-Za-z]+)'\s+=\s+@\{") |
        ForEach-Object { $_.Groups[1].Value }

    # Runs one help example's code in a fresh rehearsal: a data folder of its own, a simulated fleet
    # with subscriptions and firmware, the names, variables and files the examples use, and a work
    # folder as the current location. Returns the errors it raised (none = it ran).
    function Invoke-HelpExample([string] $Code) {
        $exampleHome = Join-Path ([System.IO.Path]::GetTempPath()) ('securenmc-pester-example-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $exampleHome | Out-Null
        $env:SECURENMC_HOME = $exampleHome
        $location = Get-Location
        try {
            $fleet = New-RehearsalFleet -Count 3
            # The names the examples use for one card and another.
            Set-NmcDevice -Device 'nmc-0001' -NewName 'UPS Rack 4' -Confirm:$false
            Set-NmcDevice -Device 'nmc-0002' -NewName 'ups-rack4' -Confirm:$false
            $work = Join-Path $exampleHome 'work'
            # The examples are written for Windows admins: E: is a removable disk, D: a data disk.
            foreach ($drive in 'D', 'E') {
                $root = New-Item -ItemType Directory -Path (Join-Path $work "drive-$drive")
                New-PSDrive -Name $drive -PSProvider FileSystem -Root $root.FullName -Scope Global | Out-Null
            }
            Set-Location -LiteralPath $work
            $admin = [SecureNmc.Simulator.Fleet.SimulatedFleet]::AdministratorCredential
            $cred = New-Object System.Management.Automation.PSCredential ($admin.UserName, (ConvertTo-SecureString $admin.Password -AsPlainText -Force))
            $newCred = $cred
            $password = ConvertTo-SecureString 'Example-Bundle-Pa55' -AsPlainText -Force
            $bundlePassword = $password
            $licensing = $fleet.Licensing
            $downloads = $fleet.Downloads
            # Stand-ins for the person at the keyboard: the prompts answer what the rehearsal knows.
            function Read-Host { param([Parameter(Position = 0)] $Prompt, [switch] $AsSecureString) if ($AsSecureString) { $password } else { 'y' } }
            function Get-Credential { param([Parameter(Position = 0)] $UserName) $licensing.Credential }

            Set-Content -LiteralPath (Join-Path $work 'devices.csv') -Value "Host,Name`n10.77.0.1,csv-card"
            Copy-Item -LiteralPath (Join-Path $work 'devices.csv') -Destination (Join-Path $work 'fleet.csv')
            Set-Content -LiteralPath (Join-Path $work 'ids.csv') -Value "Name,ActivationId`nUPS Rack 4,AID-SU-3Y"
            foreach ($bundle in 'results.snmc', 'site.snmc', 'updates.snmc', 'E:\to-site-b.snmc') {
                Export-NmcBundle -Path $bundle -Password $password -Confirm:$false | Out-Null
            }
            Get-NmcDevice | Export-NmcActivationRequest -Path 'E:\request.json' -Confirm:$false | Out-Null
            Submit-NmcActivationRequest -Path 'E:\request.json' -ResponsePath 'E:\response.json' -Confirm:$false | Out-Null
            [SecureNmc.Simulator.Firmware.SimulatorFirmwarePackage]::Create($work, [SecureNmc.Core.Devices.ApplicationType]::SU, '2.5.0.6', '2.5.0.6') | Out-Null
            Copy-Item -LiteralPath $downloads -Destination 'D:\Firmware' -Recurse

            $output = try { & ([scriptblock]::Create($Code)) 2>&1 3>$null 6>$null } catch { $_ }
            @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        }
        finally {
            Set-Location -LiteralPath $location
            foreach ($drive in 'D', 'E') { Remove-PSDrive -Name $drive -Scope Global -Force -ErrorAction SilentlyContinue }
            Stop-NmcSimulator -Confirm:$false -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null
            Stop-NmcLicensingSimulator -Confirm:$false -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null
            $env:SECURENMC_HOME = $script:outerHome
            Remove-Item -LiteralPath $exampleHome -Recurse -Force -ErrorAction SilentlyContinue
        }
    }
}

AfterAll { Exit-TestHome $script:outerHome }

Describe 'Every exported cmdlet' {
    It 'the manifest and the loaded module export the same cmdlets' {
        $manifest = Import-PowerShellDataFile -Path (Join-Path (Get-RepositoryRoot) 'SecureNmc.psd1')
        $loaded = @((Get-Command -Module SecureNmc -CommandType Cmdlet).Name | Sort-Object)
        $loaded | Should -Be @($manifest.CmdletsToExport | Sort-Object)
    }

    It '<_> is driven in its main use by a Pester test' -ForEach $script:exported {
        $script:mainUse | Should -Contain $_ -Because "a cmdlet without a Pester test of its main use is untested where users meet it"
    }

    It '<_> has a bad-input case in BadInput.Tests.ps1' -ForEach $script:exported {
        $script:badInputCases | Should -Contain $_
    }

    It '<_> has help with a synopsis, a description and examples' -ForEach $script:exported {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*\S+-Nmc\S+\s+\[' -Because 'a synopsis that is the syntax line means the MAML help is missing'
        ($help.Description | Out-String).Trim() | Should -Not -BeNullOrEmpty
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
    }

    It '<_> has a help example whose code runs as printed' -ForEach $script:exported {
        $failures = @()
        $ran = $false
        foreach ($example in @((Get-Help $_ -Full).Examples.Example)) {
            $code = ($example.Code | Out-String).Trim()
            $errors = @(Invoke-HelpExample $code)
            if ($errors.Count -eq 0) { $ran = $true; break }
            $failures += "$($example.Title.Trim('- ')): $($errors[0])"
        }
        $ran | Should -BeTrue -Because "at least one example of $_ must run against a rehearsal fleet; failures: $($failures -join ' | ')"
    }
}
