#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Every cmdlet that changes state honours -WhatIf: with it, nothing in the data folder or the work
# folder changes, no simulator starts or stops, and no object is emitted as if the work were done.
# A cmdlet that supports ShouldProcess but has no case here fails the coverage test below.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:dataHome = Enter-TestHome 'securenmc-pester-whatif'
    Import-Module (Get-TestModuleManifest) -Force -ErrorAction Stop

    $script:fleet = New-RehearsalFleet -Count 2
    $script:work = Join-Path $script:dataHome 'work'
    New-Item -ItemType Directory -Path $script:work | Out-Null
    $script:bundlePassword = ConvertTo-SecureString 'WhatIf-Bundle-Pa55' -AsPlainText -Force

    # Inputs the import cmdlets need, made before any snapshot is taken.
    $script:bundle = Join-Path $script:work 'fleet.snmc'
    Export-NmcBundle -Path $script:bundle -Password $script:bundlePassword -Confirm:$false | Out-Null
    $script:deviceCsv = Join-Path $script:work 'devices.csv'
    Set-Content -LiteralPath $script:deviceCsv -Value "Host,Name`n10.44.0.1,csv-card"
    $script:newPackage = [SecureNmc.Simulator.Firmware.SimulatorFirmwarePackage]::Create(
        (Join-Path $script:work 'newer'), [SecureNmc.Core.Devices.ApplicationType]::SU, '2.9.0.4', '2.9.0.3')
    $script:request = Join-Path $script:work 'request.json'
    $script:response = Join-Path $script:work 'response.json'
    # nmc-0001 runs SU: an Activation ID of a Smart-UPS subscription licenses it.
    $script:suActivationId = $script:fleet.Licensing.ActivationIds | Where-Object { $_ -like 'AID-SU-*' } | Select-Object -First 1
    Export-NmcActivationRequest -Device 'nmc-0001' -ActivationId $script:suActivationId -Path $script:request -Confirm:$false | Out-Null
    Submit-NmcActivationRequest -Path $script:request -ResponsePath $script:response -Confirm:$false -ErrorAction Stop | Out-Null
    # nmc-0002 is in flight at a worker: -TakeBack has something to take back, and the cmdlets that
    # leave a card in flight out say so under -WhatIf without an error.
    Export-NmcBundle -Device 'nmc-0002' -Path (Join-Path $script:work 'handed-over.snmc') -Password $script:bundlePassword -HandOverTo 'whatif-worker' -Confirm:$false | Out-Null

    $script:cases = [ordered]@{
        'Add-NmcDevice'                = { Add-NmcDevice -Host '10.44.0.9' -Name 'whatif-new' -SkipQuery -WhatIf }
        'Clear-NmcFirmwareCache'       = { Clear-NmcFirmwareCache -WhatIf }
        'Connect-NmcAccount'           = { Connect-NmcAccount -Credential $script:fleet.Licensing.Credential -WhatIf }
        'Disconnect-NmcAccount'        = { Disconnect-NmcAccount -WhatIf }
        'Enable-NmcSubscription'       = { Get-NmcDevice | Enable-NmcSubscription -WhatIf }
        'Export-NmcActivationRequest'  = { Export-NmcActivationRequest -Device 'nmc-0002' -ActivationId $script:suActivationId -Path (Join-Path $script:work 'request2.json') -WhatIf }
        'Export-NmcBundle'             = { Export-NmcBundle -Path (Join-Path $script:work 'other.snmc') -Password $script:bundlePassword -WhatIf }
        'Export-NmcBundle -HandOverTo' = { Export-NmcBundle -Device 'nmc-0001' -Path (Join-Path $script:work 'handover.snmc') -Password $script:bundlePassword -HandOverTo 'other-worker' -WhatIf }
        'Export-NmcReport'             = { Export-NmcReport -Path (Join-Path $script:work 'fleet.html') -WhatIf }
        'Import-NmcActivationResponse' = { Import-NmcActivationResponse -Path $script:response -WhatIf }
        'Import-NmcBundle'             = { Import-NmcBundle -Path $script:bundle -Password $script:bundlePassword -Conflict Overwrite -WhatIf }
        'Import-NmcDevice'             = { Import-NmcDevice -Path $script:deviceCsv -WhatIf }
        'Import-NmcFirmware'           = { Import-NmcFirmware -Path $script:newPackage -WhatIf }
        'Invoke-NmcFirmwareUpdate'     = { Get-NmcDevice | Invoke-NmcFirmwareUpdate -WhatIf }
        'New-NmcSimulatorFirmware'     = { Get-NmcDevice | New-NmcSimulatorFirmware -Path $script:work -Version '2.9.0.8' -WhatIf }
        'Open-NmcWebUI'                = { Open-NmcWebUI -Device 'nmc-0001' -WhatIf }
        'Remove-NmcDevice'             = { Get-NmcDevice | Remove-NmcDevice -WhatIf }
        'Save-NmcFirmware'             = { Get-NmcDevice | Save-NmcFirmware -Path (Join-Path $script:work 'staging') -WhatIf }
        'Set-NmcDevice'                = { Set-NmcDevice -Device 'nmc-0001' -NewName 'renamed' -Port 5022 -WhatIf }
        'Set-NmcDevice -TakeBack'      = { Set-NmcDevice -Device 'nmc-0002' -TakeBack -WhatIf }
        'Set-NmcSetting'               = { Set-NmcSetting -ConcurrentRequests 7 -BackupBeforeUpdate $false -WhatIf }
        'Start-NmcLicensingSimulator'  = { Get-NmcDevice | Start-NmcLicensingSimulator -WhatIf }
        'Start-NmcSimulator'           = { Start-NmcSimulator -Count 2 -WhatIf }
        'Stop-NmcFirmwareUpdate'       = { Stop-NmcFirmwareUpdate -WhatIf -WarningAction SilentlyContinue }
        'Stop-NmcLicensingSimulator'   = { Stop-NmcLicensingSimulator -WhatIf }
        'Stop-NmcSimulator'            = { Stop-NmcSimulator -WhatIf }
        'Submit-NmcActivationRequest'  = { Submit-NmcActivationRequest -Path $script:request -ResponsePath (Join-Path $script:work 'response2.json') -WhatIf }
        'Update-NmcDevice'             = { Get-NmcDevice | Update-NmcDevice -WhatIf }
    }
}

AfterAll { Exit-TestHome $script:dataHome }

Describe '-WhatIf' {
    It 'has a case for every cmdlet that supports ShouldProcess' {
        $changing = Get-Command -Module SecureNmc | Where-Object { $_.Parameters.ContainsKey('WhatIf') } | ForEach-Object Name
        $missing = $changing | Where-Object { -not $script:cases.Contains($_) }
        $missing | Should -BeNullOrEmpty -Because 'every state-changing cmdlet needs a -WhatIf case here'
    }

    It '<_> -WhatIf changes nothing and emits nothing' -ForEach @(
        'Add-NmcDevice', 'Clear-NmcFirmwareCache', 'Connect-NmcAccount', 'Disconnect-NmcAccount', 'Enable-NmcSubscription',
        'Export-NmcActivationRequest', 'Export-NmcBundle', 'Import-NmcActivationResponse', 'Import-NmcBundle',
        'Export-NmcReport',
        'Import-NmcDevice', 'Import-NmcFirmware', 'Invoke-NmcFirmwareUpdate', 'New-NmcSimulatorFirmware', 'Open-NmcWebUI', 'Remove-NmcDevice',
        'Save-NmcFirmware', 'Set-NmcDevice', 'Set-NmcSetting', 'Start-NmcLicensingSimulator', 'Start-NmcSimulator',
        'Stop-NmcFirmwareUpdate', 'Stop-NmcLicensingSimulator', 'Stop-NmcSimulator', 'Submit-NmcActivationRequest',
        'Update-NmcDevice',
        'Export-NmcBundle -HandOverTo', 'Set-NmcDevice -TakeBack') {
        $before = Get-FolderSnapshot $script:dataHome
        $output = & $script:cases[$_] 2>&1 6>$null
        $after = Get-FolderSnapshot $script:dataHome
        $errors = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors | ForEach-Object { "$_" } | Should -BeNullOrEmpty -Because "$_ -WhatIf of a valid command reports no error"
        Compare-Object $before $after | Should -BeNullOrEmpty -Because "$_ -WhatIf must not write to the data folder"
        $output | Should -BeNullOrEmpty -Because "$_ -WhatIf did nothing, so it has nothing to return"
    }

    It 'left nmc-0002 in flight and nmc-0001 at home after their -WhatIf hand-over and take-back' {
        (Get-NmcDevice 'nmc-0002').HandedOverTo | Should -Be 'whatif-worker'
        (Get-NmcDevice 'nmc-0001').IsInFlight | Should -BeFalse
    }

    It 'left the simulators running after their -WhatIf stops: the cards still answer and licensing still works' {
        Set-NmcDevice -Device 'nmc-0002' -TakeBack -Confirm:$false
        $refreshed = Get-NmcDevice | Update-NmcDevice -PassThru -Confirm:$false
        $refreshed.Count | Should -Be 2
        $refreshed | ForEach-Object { $_.LastQueryError | Should -BeNullOrEmpty }
        { Get-NmcSubscription -Device 'nmc-0001' -ErrorAction Stop -WarningAction SilentlyContinue } | Should -Not -Throw
    }
}
