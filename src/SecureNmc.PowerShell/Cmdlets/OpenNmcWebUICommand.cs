using System;
using System.Management.Automation;
using SecureNmc.Core.WebUi;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>The SNS Tool's "Log in to NMC": opens each device's web interface (https://host/) in the default browser.</summary>
    [Cmdlet(VerbsCommon.Open, "NmcWebUI", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(Uri))]
    public sealed class OpenNmcWebUICommand : NmcCmdlet
    {
        private DeviceArguments? _arguments;

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public NmcDevicePipeBind[] Device { get; set; } = new NmcDevicePipeBind[0];

        /// <summary>The card's HTTPS port when it is not 443 (the web port is not part of the device record).</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int HttpsPort { get; set; } = NmcWebUiAddress.DefaultHttpsPort;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            _arguments ??= new DeviceArguments(UsingStore(() => Services.Inventory.GetAll()));
            foreach (var argument in Device)
            {
                // A device object piped from New-NmcDevice or Start-NmcSimulator need not be stored.
                var matches = argument.Device != null ? new System.Collections.Generic.List<Core.Devices.NmcDevice> { argument.Device } : _arguments.Resolve(argument, out var notFound);
                if (argument.Device == null && matches.Count == 0 && !argument.IsPattern)
                    WriteTargetError("DeviceNotFound", ErrorCategory.ObjectNotFound, argument.ToString(),
                        $"Device '{argument}' is not in the inventory.", "Check the name with Get-NmcDevice, or pipe the device object.");
                foreach (var device in matches) Open(device);
            }
        }

        private void Open(Core.Devices.NmcDevice device)
        {
            Uri url;
            try
            {
                url = NmcWebUiAddress.For(device, HttpsPort);
            }
            catch (ArgumentException ex)
            {
                WriteTargetError("InvalidWebAddress", ErrorCategory.InvalidData, device, ex.Message, "Correct the device's host with Set-NmcDevice or re-add it.");
                return;
            }
            if (!ShouldProcess($"{device.DisplayName} ({url.AbsoluteUri})", "Open the card's web interface in the default browser")) return;
            try
            {
                BrowserLauncher.Open(url);
                WriteVerbose($"Opened {url.AbsoluteUri} for {device.DisplayName}.");
            }
            catch (InvalidOperationException ex)
            {
                WriteTargetError("BrowserNotStarted", ErrorCategory.ResourceUnavailable, device, ex.Message, "Open the address by hand; -PassThru returns it.");
            }
            if (PassThru) WriteObject(url);
        }
    }
}
