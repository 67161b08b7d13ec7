#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Every exported cmdlet, given bad input, fails with a specific error (its id says what went wrong,
# its message names the thing at fault) and leaves the data folder exactly as it was.
# Cmdlets.Tests.ps1 checks that every exported cmdlet has a case here.

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:dataHome = Enter-TestHome 'securenmc-pester-bad'
    Import-Module (Get-TestModuleManifest) -Force -ErrorAction Stop
    $script:fleet = New-RehearsalFleet -Count 2
    $script:work = Join-Path $script:dataHome 'work'
    New-Item -ItemType Directory -Path $script:work | Out-Null
    $script:notAFolderHome = Join-Path $script:work 'a-file-not-a-folder'
    Set-Content -LiteralPath $script:notAFolderHome -Value 'x'
    Set-Content -LiteralPath (Join-Path $script:work 'junk.snmc') -Value 'not a bundle'
    Set-Content -LiteralPath (Join-Path $script:work 'notes.nmc3') -Value 'not firmware'
    Set-Content -LiteralPath (Join-Path $script:work 'junk.json') -Value '{"x":1}'
    $script:wrongCredential = New-Object System.Management.Automation.PSCredential ('nobody', (ConvertTo-SecureString 'Wrong-Pa55' -AsPlainText -Force))

    # Runs $Script with SECURENMC_HOME pointing at a file: the data folder every cmdlet needs is unusable.
    function Invoke-WithFileAsDataFolder([scriptblock] $Script) {
        $env:SECURENMC_HOME = $script:notAFolderHome
        try { & $Script } finally { $env:SECURENMC_HOME = $script:dataHome }
    }

    # Cmdlet => the bad call, the error id it must give, and text its message must contain.
    $script:cases = [ordered]@{
        'Add-NmcDevice'                = @{ Run = { Add-NmcDevice -Host '10.0.0.300' -SkipQuery }; Id = 'SecureNmc.InvalidDevice'; Says = '300 is greater than 255' }
        'Clear-NmcFirmwareCache'       = @{ Run = { Invoke-WithFileAsDataFolder { Clear-NmcFirmwareCache -Confirm:$false } }; Id = 'SecureNmc.StoreUnavailable'; Says = 'is a file, not a folder' }
        'Connect-NmcAccount'           = @{ Run = { Connect-NmcAccount -Credential $script:wrongCredential -Confirm:$false }; Id = 'SecureNmc.InvalidCredentials'; Says = 'not correct' }
        'Disconnect-NmcAccount'        = @{ Run = { Invoke-WithFileAsDataFolder { Disconnect-NmcAccount -Confirm:$false } }; Id = 'SecureNmc.StoreUnavailable'; Says = 'is a file, not a folder' }
        'Enable-NmcSubscription'       = @{ Run = { Enable-NmcSubscription -Device 'nmc-0001' -ActivationId 'AID-EU1P-1Y' -Confirm:$false }; Id = 'SecureNmc.FamilyMismatch'; Says = 'nmc-0001' }
        'Export-NmcActivationRequest'  = @{ Run = { Export-NmcActivationRequest -Device 'no-such-card' -ActivationId 'AID-SU-1Y' -Path (Join-Path $script:work 'req.json') -Confirm:$false }; Id = 'SecureNmc.DeviceNotFound'; Says = 'no-such-card' }
        'Export-NmcBundle'             = @{ Run = { Export-NmcBundle -Path (Join-Path $script:work 'fleet.snmc') -Confirm:$false }; Id = 'SecureNmc.BundlePasswordRequired'; Says = 'password' }
        'Export-NmcBundle -HandOverTo' = @{ Run = { Get-NmcDevice | Export-NmcBundle -Path (Join-Path $script:work 'handover.snmc') -HandOverTo '   ' -Confirm:$false }; Id = 'SecureNmc.InvalidHandOver'; Says = 'worker name*empty' }
        'Export-NmcBundle -HandOverTo -Format Csv' = @{ Run = { Get-NmcDevice | Export-NmcBundle -Path (Join-Path $script:work 'handover.csv') -Format Csv -HandOverTo 'csv-worker' -Confirm:$false }; Id = 'SecureNmc.InvalidHandOver'; Says = 'CSV' }
        'Export-NmcBundle -HandOverTo control' = @{ Run = { Get-NmcDevice | Export-NmcBundle -Path (Join-Path $script:work 'handover.snmc') -HandOverTo "berlin`nworker" -Confirm:$false }; Id = 'SecureNmc.InvalidHandOver'; Says = 'control character' }
        'Export-NmcReport'             = @{ Run = { Export-NmcReport -Path (Join-Path $script:work 'junk.json') -Format Json -Confirm:$false }; Id = 'SecureNmc.ExportFileExists'; Says = 'junk.json' }
        'Get-NmcDevice'                = @{ Run = { Get-NmcDevice -Name 'no-such-card' }; Id = 'SecureNmc.DeviceNotFound'; Says = 'no-such-card' }
        'Get-NmcFirmware'              = @{ Run = { Get-NmcFirmware -ApplicationType 'XYZ' }; Id = 'CannotConvertArgumentNoMessage'; Says = 'SU, SY' }
        'Get-NmcFirmwareUpdate'        = @{ Run = { Get-NmcFirmwareUpdate -Name 'no-such-card' }; Id = 'SecureNmc.UpdateHistoryNotFound'; Says = 'no-such-card' }
        'Get-NmcSetting'               = @{ Run = { Get-NmcSetting -Name 'NoSuchSetting' }; Id = 'SecureNmc.UnknownSetting'; Says = 'NoSuchSetting' }
        'Get-NmcSubscription'          = @{ Run = { Get-NmcSubscription -Device 'no-such-card' }; Id = 'SecureNmc.DeviceNotFound'; Says = 'no-such-card' }
        'Import-NmcActivationResponse' = @{ Run = { Import-NmcActivationResponse -Path (Join-Path $script:work 'junk.json') -Confirm:$false }; Id = 'SecureNmc.InvalidFile'; Says = 'junk.json' }
        'Import-NmcBundle'             = @{ Run = { Import-NmcBundle -Path (Join-Path $script:work 'junk.snmc') -Confirm:$false }; Id = 'SecureNmc.NotABundle'; Says = 'junk.snmc' }
        'Import-NmcDevice'             = @{ Run = { Import-NmcDevice -Path (Join-Path $script:work 'no-such-file.csv') -Confirm:$false }; Id = 'SecureNmc.PathNotFound'; Says = 'no-such-file.csv' }
        'Import-NmcFirmware'           = @{ Run = { Import-NmcFirmware -Path (Join-Path $script:work 'notes.nmc3') -Confirm:$false }; Id = 'SecureNmc.FirmwareNameNotRecognized'; Says = 'notes.nmc3' }
        'Invoke-NmcFirmwareUpdate'     = @{ Run = { Invoke-NmcFirmwareUpdate -Device 'nmc-0001' -Version 'abc' -Force }; Id = 'SecureNmc.InvalidVersion'; Says = "'abc'" }
        'New-NmcSimulatorFirmware'     = @{ Run = { New-NmcSimulatorFirmware -Path $script:work -ApplicationType SU -Version '2.9' }; Id = 'SecureNmc.'; Says = '2.9' }
        'New-NmcDevice'                = @{ Run = { New-NmcDevice -Host 'bad host!' }; Id = 'SecureNmc.InvalidDevice'; Says = 'contains a space' }
        'Open-NmcWebUI'                = @{ Run = { Open-NmcWebUI -Device 'no-such-card' -Confirm:$false }; Id = 'SecureNmc.DeviceNotFound'; Says = 'no-such-card' }
        'Remove-NmcDevice'             = @{ Run = { Remove-NmcDevice -Device 'no-such-card' -Confirm:$false }; Id = 'SecureNmc.DeviceNotFound'; Says = 'no-such-card' }
        'Save-NmcFirmware'             = @{ Run = { Save-NmcFirmware -Device 'nmc-0001' -Path (Join-Path $script:work 'staging') -Version 'abc' -Confirm:$false }; Id = 'SecureNmc.InvalidVersion'; Says = "'abc'" }
        'Set-NmcDevice'                = @{ Run = { Set-NmcDevice -Device 'nmc-0001' -Port 99999 -Confirm:$false }; Id = 'SecureNmc.InvalidEdit'; Says = '99999' }
        'Set-NmcDevice -TakeBack'      = @{ Run = { Set-NmcDevice -Device 'no-such-card' -TakeBack -Confirm:$false }; Id = 'SecureNmc.DeviceNotFound'; Says = 'no-such-card' }
        'Set-NmcSetting'               = @{ Run = { Set-NmcSetting -LicensingEndpoint 'http://licensing.example.com/' -Confirm:$false }; Id = 'SecureNmc.InvalidSetting'; Says = 'https' }
        'Start-NmcLicensingSimulator'  = @{ Run = { Start-NmcLicensingSimulator -Device 'no-such-card' -Confirm:$false }; Id = 'SecureNmc.DeviceNotFound'; Says = 'no-such-card' }
        'Start-NmcSimulator'           = @{ Run = { Start-NmcSimulator -Count 0 -Confirm:$false }; Id = 'ParameterArgumentValidationError'; Says = 'Count' }
        'Stop-NmcFirmwareUpdate'       = @{ Run = { Stop-NmcFirmwareUpdate -Device 'no-such-card' -Confirm:$false }; Id = 'SecureNmc.DeviceNotUpdating'; Says = 'no-such-card' }
        'Stop-NmcLicensingSimulator'   = @{ Run = { Stop-NmcLicensingSimulator -Simulator 'not-a-simulator' -Confirm:$false }; Id = 'CannotConvertArgument'; Says = 'Simulator' }
        'Stop-NmcSimulator'            = @{ Run = { Stop-NmcSimulator -Simulator 'not-a-simulator' -Confirm:$false }; Id = 'CannotConvertArgument'; Says = 'Simulator' }
        'Submit-NmcActivationRequest'  = @{ Run = { Submit-NmcActivationRequest -Path (Join-Path $script:work 'junk.json') -ResponsePath (Join-Path $script:work 'response.json') -Confirm:$false }; Id = 'SecureNmc.InvalidFile'; Says = 'junk.json' }
        'Update-NmcDevice'             = @{ Run = { Update-NmcDevice -Device 'no-such-card' -Confirm:$false }; Id = 'SecureNmc.DeviceNotFound'; Says = 'no-such-card' }
    }
}

AfterAll { Exit-TestHome $script:dataHome }

Describe 'Bad input' {
    It '<_> fails with a specific error and changes nothing' -ForEach @(
        'Add-NmcDevice', 'Clear-NmcFirmwareCache', 'Connect-NmcAccount', 'Disconnect-NmcAccount', 'Enable-NmcSubscription',
        'Export-NmcActivationRequest', 'Export-NmcBundle', 'Get-NmcDevice', 'Get-NmcFirmware', 'Get-NmcFirmwareUpdate',
        'Get-NmcSetting', 'Get-NmcSubscription', 'Import-NmcActivationResponse', 'Import-NmcBundle', 'Import-NmcDevice',
        'Import-NmcFirmware', 'Invoke-NmcFirmwareUpdate', 'New-NmcDevice', 'New-NmcSimulatorFirmware', 'Open-NmcWebUI', 'Remove-NmcDevice',
        'Save-NmcFirmware', 'Set-NmcDevice', 'Set-NmcSetting', 'Start-NmcLicensingSimulator', 'Start-NmcSimulator',
        'Stop-NmcFirmwareUpdate', 'Stop-NmcLicensingSimulator', 'Stop-NmcSimulator', 'Submit-NmcActivationRequest',
        'Update-NmcDevice',
        'Export-NmcReport',
        'Export-NmcBundle -HandOverTo', 'Export-NmcBundle -HandOverTo -Format Csv', 'Export-NmcBundle -HandOverTo control', 'Set-NmcDevice -TakeBack') {
        $case = $script:cases[$_]
        $before = Get-FolderSnapshot $script:dataHome
        # Non-terminating errors arrive through 2>&1, terminating ones through catch.
        $output = try { & $case.Run 2>&1 3>$null 6>$null } catch { $_ }
        $after = Get-FolderSnapshot $script:dataHome

        $errors = @($output | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        $errors.Count | Should -BeGreaterThan 0 -Because "$_ with bad input must report an error"
        $record = $errors[0]
        $record.FullyQualifiedErrorId | Should -BeLike "$($case.Id)*"
        "$record" | Should -BeLike "*$($case.Says)*"
        Compare-Object $before $after | Should -BeNullOrEmpty -Because "$_ must leave the data folder as it was on bad input"
    }
}
