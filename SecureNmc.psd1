# Module manifest for SecureNmc: keeps fleets of Schneider Electric / APC NMC3 cards on current,
# secure firmware. One binary (netstandard2.0) serves Windows PowerShell 5.1 and PowerShell 7.
@{
    RootModule           = 'SecureNmc.PowerShell.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = 'afbcdeff-e644-49c5-a4c9-5f94088e5c44'
    Author               = 'SecureNmc contributors'
    CompanyName          = 'SecureNmc'
    Copyright            = '(c) SecureNmc contributors.'
    Description          = 'Keeps fleets of Schneider Electric / APC Network Management Card 3 (NMC3) devices on current, secure firmware: device inventory, queries and firmware updates over SCP or FTP.'
    CompatiblePSEditions = @('Core', 'Desktop')
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'

    FormatsToProcess     = @('SecureNmc.format.ps1xml')
    # Status in the SNS wording, and a property behind every column label (see docs/module.md).
    TypesToProcess       = @('SecureNmc.types.ps1xml')

    # Explicit lists, no wildcards: PowerShell can then auto-load the module from a command name,
    # and tests/SecureNmc.Module.Tests checks this list against the cmdlets the assembly defines.
    CmdletsToExport      = @(
        'Add-NmcDevice'
        'Clear-NmcFirmwareCache'
        'Connect-NmcAccount'
        'Disconnect-NmcAccount'
        'Enable-NmcSubscription'
        'Export-NmcActivationRequest'
        'Export-NmcBundle'
        'Export-NmcReport'
        'Get-NmcDevice'
        'Get-NmcFirmware'
        'Get-NmcFirmwareUpdate'
        'Get-NmcSetting'
        'Get-NmcSubscription'
        'Import-NmcActivationResponse'
        'Import-NmcBundle'
        'Import-NmcDevice'
        'Import-NmcFirmware'
        'Invoke-NmcFirmwareUpdate'
        'New-NmcDevice'
        'New-NmcSimulatorFirmware'
        'Open-NmcWebUI'
        'Remove-NmcDevice'
        'Save-NmcFirmware'
        'Set-NmcDevice'
        'Set-NmcSetting'
        'Start-NmcLicensingSimulator'
        'Start-NmcSimulator'
        'Stop-NmcFirmwareUpdate'
        'Stop-NmcLicensingSimulator'
        'Stop-NmcSimulator'
        'Submit-NmcActivationRequest'
        'Update-NmcDevice'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()

    PrivateData          = @{
        PSData = @{
            Tags = @('APC', 'SchneiderElectric', 'NMC', 'NMC3', 'UPS', 'PDU', 'Firmware', 'SecureNMC')
        }
    }
}
