using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using SecureNmc.Core.Bundles;
using SecureNmc.Core.DataExchange;
using SecureNmc.Core.Devices;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// Exports application data for another machine (the seed's Import/Export Data): a CSV of the
    /// device facts needed for licensing and firmware download, or a bundle of devices (with their
    /// credentials), licences and firmware. Devices come from the pipeline or are all of them.
    /// </summary>
    [Cmdlet(VerbsData.Export, "NmcBundle", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(BundleExportResult))]
    public sealed class ExportNmcBundleCommand : NmcCmdlet
    {
        private DeviceArguments? _arguments;
        private readonly List<NmcDevice> _selected = new List<NmcDevice>();
        private bool _sawDeviceArgument;

        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>The file to write, from the current PowerShell location; wildcard characters must match one existing file.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [Alias("FilePath")]
        public string Path { get; set; } = "";

        /// <summary>The file to write, taken exactly as written ([ ] are part of the name).</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP")]
        public string LiteralPath { get; set; } = "";

        [Parameter]
        public ExportFormat Format { get; set; } = ExportFormat.Bundle;

        /// <summary>What the bundle carries; all three by default. CSV always holds devices only.</summary>
        [Parameter]
        public BundleContent[] Include { get; set; } = new[] { BundleContent.Devices, BundleContent.Licences, BundleContent.Firmware };

        [Parameter(ValueFromPipeline = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public NmcDevicePipeBind[]? Device { get; set; }

        /// <summary>Encrypts the bundle; required when it holds device credentials.</summary>
        [Parameter]
        public SecureString? Password { get; set; }

        [Parameter]
        public SwitchParameter Force { get; set; }

        /// <summary>
        /// Hands the exported devices over to this worker: each is marked in flight in this inventory
        /// (HandedOverTo, HandedOverAt), so it is not updated or queried here until the worker's results
        /// are imported or it is taken back (Set-NmcDevice -TakeBack). Without it an export marks nothing.
        /// </summary>
        [Parameter]
        public string? HandOverTo { get; set; }

        protected override void ProcessRecord()
        {
            if (Device == null) return;
            _sawDeviceArgument = true;
            _arguments ??= new DeviceArguments(UsingStore(() => Services.Inventory.GetAll()));
            foreach (var argument in Device)
                _selected.AddRange(ResolveOrReport(_arguments, argument, "Check the name with Get-NmcDevice."));
        }

        protected override void EndProcessing()
        {
            var literal = ParameterSetName == LiteralPathSet;
            var path = FilePaths.ResolveTarget(literal ? LiteralPath : Path, literal, "export file", ThrowTerminatingError)!;
            // Piped input that turned out empty (Get-NmcDevice -Name nomatch | Export-NmcBundle) selects nothing, not everything.
            _sawDeviceArgument |= MyInvocation.ExpectingInput;
            // Devices were asked for but none resolved: export nothing rather than everything.
            if (_sawDeviceArgument && _selected.Count == 0)
            {
                WriteWarning("None of the given devices is in the inventory; nothing was exported.");
                base.EndProcessing();
                return;
            }
            IReadOnlyCollection<NmcDevice>? selection = _sawDeviceArgument ? _selected.GroupBy(d => d.Id).Select(g => g.First()).ToList() : null;
            if (HandOverTo != null && Format == ExportFormat.Csv)
                ThrowCommandError("InvalidHandOver", ErrorCategory.InvalidArgument, HandOverTo,
                    "-HandOverTo hands cards over in a bundle; a CSV file carries no credentials, licences, firmware or revisions for a worker to update from and bring back. Use -Format Bundle (the default). Nothing was exported.");
            try
            {
                var stores = UsingStore(() => new DataExchangeStores(Services.DataFolder, Services.Inventory, Services.CredentialProtector,
                    LicensingKeySetting.Read(Services.Settings.Load()), CreateLogger("SecureNmc.Bundles")));
                var exporter = new BundleExporter(stores);
                if (Format == ExportFormat.Csv) ExportCsv(exporter, path, selection);
                else ExportBundle(exporter, path, selection);
            }
            catch (DataExchangeException ex)
            {
                DrainLog();
                var (id, category) = DataExchangeErrors.Describe(ex);
                ThrowCommandError(id, category, path, ex.Message, null, ex);
            }
            catch (SecureNmc.Core.Firmware.FirmwareIntegrityException ex)
            {
                DrainLog();
                ThrowCommandError("FirmwareCorrupt", ErrorCategory.InvalidData, path, ex.Message,
                    "A cached firmware file no longer matches its SHA-256; clear the cache or import the file again. Nothing was exported.", ex);
            }
            base.EndProcessing();
        }

        private void ExportCsv(BundleExporter exporter, string path, IReadOnlyCollection<NmcDevice>? selection)
        {
            if (Password != null) WriteWarning("A CSV export holds no credentials and is not encrypted; -Password is ignored.");
            if (MyInvocation.BoundParameters.ContainsKey(nameof(Include)) && Include.Any(i => i != BundleContent.Devices))
                WriteWarning("A CSV export holds device data only; licences and firmware need -Format Bundle.");
            var count = selection?.Count ?? UsingStore(() => Services.Inventory.GetAll().Count);
            if (!ShouldProcess(path, $"Export {count} device(s) to a CSV file (no credentials)")) return;
            var result = UsingStore(() => exporter.ExportCsv(path, selection, Force));
            WriteObject(result);
        }

        private void ExportBundle(BundleExporter exporter, string path, IReadOnlyCollection<NmcDevice>? selection)
        {
            var include = Include.Aggregate(BundleContent.None, (all, one) => all | one);
            var chosen = UsingStore(() => exporter.Select(selection, include));
            var credentials = chosen.DevicesWithCredentials.Count;
            var action = $"Export {chosen.Devices.Count} device(s) ({credentials} with stored credentials), {chosen.Licences.Count} licence(s) and {chosen.Firmware.Count} firmware file(s) to a "
                + (Password != null ? "password-protected bundle" : "bundle without a password")
                + (HandOverTo != null ? $", and hand the device(s) over to {HandOverTo.Trim()} (marked in flight in this inventory until its results are imported)" : "");
            // Refuse before asking: a bad worker name, no devices, or cards already in flight (checked again under the lock).
            if (HandOverTo != null) BundleExporter.CheckHandOver(chosen, HandOverTo);
            if (Password == null && credentials > 0)
            {
                // Refuse before asking: the answer could not change the outcome.
                exporter.ExportBundle(path, chosen, null, Force, HandOverTo);
                return;
            }
            if (!ShouldProcess(path, action)) return;
            var result = UsingStore(() => SecurePassword.Use(Password, chars => exporter.ExportBundle(path, chosen, chars, Force, HandOverTo)));
            if (HandOverTo != null) WriteVerbose($"{result.Devices} device(s) handed over to {HandOverTo.Trim()}: they show as In Flight (Get-NmcDevice -InFlight) until its results are imported.");
            if (!result.Encrypted) WriteWarning($"{path} is not password-protected: anyone with the file can read the device list and licences in it (there are no credentials in it).");
            WriteObject(result);
        }
    }
}
