#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Files an attacker or an unlucky admin hands the module: each is refused with its own error, at
# once, and the firmware cache and inventory stay as they were.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:dataHome = Enter-TestHome 'securenmc-pester-hostile'
    Import-Module (Get-TestModuleManifest) -Force -ErrorAction Stop
    $script:work = Join-Path $script:dataHome 'work'
    New-Item -ItemType Directory -Path $script:work | Out-Null
    $script:onWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT

    # Runs $Script and returns the first error it raised (non-terminating or terminating).
    function Get-FirstError([scriptblock] $Script) {
        $output = try { & $Script 2>&1 3>$null } catch { $_ }
        @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) | Select-Object -First 1
    }
}

AfterAll { Exit-TestHome $script:dataHome }

Describe 'Import-NmcFirmware refuses what is not a real NMC3 package' {
    It 'refuses a .nmc3 link to a secret file and caches nothing' -Skip:$script:onWindows {
        $link = Join-Path $script:work 'apc_hw21_su_2.9.0.2.nmc3'
        New-Item -ItemType SymbolicLink -Path $link -Target '/etc/hostname' | Out-Null
        $error1 = Get-FirstError { Import-NmcFirmware -LiteralPath $link -Confirm:$false }
        $error1.FullyQualifiedErrorId | Should -BeLike 'SecureNmc.FirmwareFileRefused,*'
        "$error1" | Should -Match 'symbolic link'
        Get-NmcFirmware | Should -BeNullOrEmpty
        Remove-Item -LiteralPath $link
    }

    It 'refuses a pipe at once instead of waiting for a writer' -Skip:$script:onWindows {
        $fifo = Join-Path $script:work 'apc_hw21_sy_2.9.0.2.nmc3'
        & mkfifo $fifo
        # In a background job, so a blocked open fails this test instead of hanging the suite.
        $job = Start-Job -ScriptBlock { param($m, $f) Import-Module $m; Import-NmcFirmware -LiteralPath $f -Confirm:$false 2>&1 | ForEach-Object { "$_" } } -ArgumentList (Get-TestModuleManifest), $fifo
        Wait-Job $job -Timeout 60 | Should -Not -BeNullOrEmpty -Because 'the import must not block on a FIFO'
        $error1 = (Receive-Job $job) -join "`n"
        Remove-Job $job -Force
        "$error1" | Should -Match 'not a regular file'
        Remove-Item -LiteralPath $fifo
    }

    It 'refuses a file larger than any package without copying it' {
        $huge = Join-Path $script:work 'apc_hw21_su_2.9.0.4.nmc3'
        $stream = [System.IO.File]::Create($huge)
        try { $stream.SetLength(65MB) } finally { $stream.Dispose() }   # sparse on Linux: no disk used
        $error1 = Get-FirstError { Import-NmcFirmware -LiteralPath $huge -Confirm:$false }
        $error1.FullyQualifiedErrorId | Should -BeLike 'SecureNmc.FirmwareFileRefused,*'
        "$error1" | Should -Match 'more than any NMC3 package'
        Get-ChildItem -LiteralPath (Join-Path $script:dataHome 'Firmware') -Recurse -File -ErrorAction SilentlyContinue |
            Where-Object Length -gt 1MB | Should -BeNullOrEmpty
        Remove-Item -LiteralPath $huge
    }

    It 'refuses the name <Name> with the reason' -ForEach @(
        @{ Name = 'apc_hw05_su_6.9.6.1.nmc3'; Reason = 'NMC2' }
        @{ Name = 'apc_hw21_su_2.9.nmc3'; Reason = 'not an NMC3 release version' }
        @{ Name = 'apc_hw21_su_0.0.0.0.nmc3'; Reason = 'not an NMC3 release version' }
    ) {
        $file = Join-Path $script:work $Name
        Set-Content -LiteralPath $file -Value 'payload'
        $error1 = Get-FirstError { Import-NmcFirmware -LiteralPath $file -Confirm:$false }
        $error1.FullyQualifiedErrorId | Should -BeLike 'SecureNmc.FirmwareNameNotRecognized,*'
        "$error1" | Should -Match $Reason
        Get-NmcFirmware | Should -BeNullOrEmpty
    }
}

Describe 'Import-NmcBundle and bundles without a password' {
    BeforeAll {
        Add-NmcDevice -Host '10.66.0.1' -Name 'plain-card' -SkipQuery -Confirm:$false
        $package = [SecureNmc.Simulator.Firmware.SimulatorFirmwarePackage]::Create($script:work, [SecureNmc.Core.Devices.ApplicationType]::SU, '9.9.9.2', '9.9.9.2')
        Import-NmcFirmware -LiteralPath $package -Confirm:$false | Out-Null
        $script:plainBundle = Join-Path $script:work 'plain.snmc'
        Export-NmcBundle -Path $script:plainBundle -Include Devices, Firmware -Confirm:$false | Out-Null
        # A second data folder plays the receiving machine.
        $script:receiver = Join-Path $script:dataHome 'receiver'
        New-Item -ItemType Directory -Path $script:receiver | Out-Null
    }

    It 'refuses firmware from an unencrypted bundle unless -AllowUnencrypted is given' {
        $env:SECURENMC_HOME = $script:receiver
        try {
            $error1 = Get-FirstError { Import-NmcBundle -LiteralPath $script:plainBundle -Confirm:$false }
            $error1.FullyQualifiedErrorId | Should -BeLike 'SecureNmc.BundleNotEncrypted,*'
            "$error1" | Should -Match '-AllowUnencrypted'
            Get-NmcDevice | Should -BeNullOrEmpty
            Get-NmcFirmware | Should -BeNullOrEmpty

            $items = Import-NmcBundle -LiteralPath $script:plainBundle -AllowUnencrypted -Confirm:$false
            @($items | Where-Object Kind -eq 'Firmware').Count | Should -Be 1
            (Get-NmcDevice).Name | Should -Be 'plain-card'
        }
        finally { $env:SECURENMC_HOME = $script:dataHome }
    }
}

Describe 'Damaged data-folder files are reported, naming the file' {
    BeforeEach {
        $script:damagedHome = Join-Path $script:dataHome ('damaged-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $script:damagedHome | Out-Null
        $env:SECURENMC_HOME = $script:damagedHome
    }
    AfterEach { $env:SECURENMC_HOME = $script:dataHome }

    It 'an inventory.json that is a folder is a StoreCorrupt error, not an empty inventory' {
        New-Item -ItemType Directory -Path (Join-Path $script:damagedHome 'inventory.json') | Out-Null
        $error1 = Get-FirstError { Get-NmcDevice }
        $error1.FullyQualifiedErrorId | Should -BeLike 'SecureNmc.StoreCorrupt,*'
        "$error1" | Should -Match 'inventory.json'
        "$error1" | Should -Match 'folder, not a file'
    }

    It 'a garbage journal gives a warning naming it instead of a silently empty history' {
        $journal = New-Item -ItemType Directory -Path (Join-Path $script:damagedHome 'Journal')
        Set-Content -LiteralPath (Join-Path $journal.FullName 'updates.jsonl') -Value @('garbage', 'more garbage', '{"x":1}', 'last')
        $warnings = @()
        $history = Get-NmcFirmwareUpdate -WarningVariable warnings -WarningAction SilentlyContinue
        $history | Should -BeNullOrEmpty
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match 'updates.jsonl'
        "$($warnings[0])" | Should -Match 'could not be read'
    }

    It 'a damaged firmware catalog is a SecureNmc error naming the file' {
        $cache = New-Item -ItemType Directory -Path (Join-Path $script:damagedHome 'Firmware')
        Set-Content -LiteralPath (Join-Path $cache.FullName 'catalog.json') -Value '{ not json'
        $error1 = Get-FirstError { Get-NmcFirmware }
        $error1.FullyQualifiedErrorId | Should -BeLike 'SecureNmc.StoreCorrupt,*'
        "$error1" | Should -Match 'catalog.json'
    }
}

Describe 'Permissions of the data folder on Unix' -Skip:([System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT) {
    It 'tightens a data folder made beforehand with mode 755 and writes every file 600 and folder 700' {
        $permHome = Join-Path $script:dataHome ('perm-' + [guid]::NewGuid().ToString('N'))
        New-Item -ItemType Directory -Path $permHome | Out-Null
        & chmod 755 $permHome
        $env:SECURENMC_HOME = $permHome
        try {
            New-RehearsalFleet -Count 1 | Out-Null        # inventory, licences, firmware cache, known hosts
            Get-NmcDevice | Invoke-NmcFirmwareUpdate -Force | Out-Null   # backups and the journal
            Stop-NmcSimulator -Confirm:$false; Stop-NmcLicensingSimulator -Confirm:$false
        }
        finally { $env:SECURENMC_HOME = $script:dataHome }

        $downloads = Join-Path $permHome 'downloads'   # the admin's own folder, made by New-RehearsalFleet, not by the module
        $items = @(Get-Item -LiteralPath $permHome) + @(Get-ChildItem -LiteralPath $permHome -Recurse -Force |
            Where-Object { -not $_.FullName.StartsWith($downloads) })
        @($items | Where-Object { -not $_.PSIsContainer }).Count | Should -BeGreaterThan 10
        $loose = $items | Where-Object {
            $mode = [int]$_.UnixFileMode
            if ($_.PSIsContainer) { $mode -ne 448 } else { $mode -ne 384 }   # 0700 / 0600
        } | ForEach-Object { "$($_.UnixFileMode) $($_.FullName)" }
        $loose | Should -BeNullOrEmpty
        @(Get-ChildItem -LiteralPath (Join-Path $permHome 'Backup') -Recurse -File).Count | Should -BeGreaterThan 0
    }

    It 'leaves no data folder behind when Import-NmcBundle refuses a bundle into a new one' {
        $source = Join-Path $script:dataHome 'bundle-source.snmc'
        Export-NmcBundle -Path $source -Password (ConvertTo-SecureString 'Right-Pa55' -AsPlainText -Force) -Confirm:$false | Out-Null
        $fresh = Join-Path $script:dataHome ('never-made-' + [guid]::NewGuid().ToString('N'))
        $env:SECURENMC_HOME = $fresh
        try {
            $error1 = Get-FirstError { Import-NmcBundle -LiteralPath $source -Password (ConvertTo-SecureString 'Wrong-Pa55' -AsPlainText -Force) -Confirm:$false }
        }
        finally { $env:SECURENMC_HOME = $script:dataHome }
        $error1.FullyQualifiedErrorId | Should -BeLike 'SecureNmc.BundleWrongPassword,*'
        Test-Path -LiteralPath $fresh | Should -BeFalse
    }
}
