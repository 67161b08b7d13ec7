using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.DataExchange;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Reports;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// The fleet at a glance: one self-contained HTML page with charts (or the same data as CSV or
    /// JSON) built from the inventory, the verified licence store, the firmware library and the
    /// update journal. Contacts no card and no service; writes no secret.
    /// </summary>
    [Cmdlet(VerbsData.Export, "NmcReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(ReportExportResult))]
    public sealed class ExportNmcReportCommand : NmcCmdlet
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

        /// <summary>Html (default), Csv (one row per card, for spreadsheets) or Json (the whole report, for dashboards).</summary>
        [Parameter]
        public ReportFormat Format { get; set; } = ReportFormat.Html;

        /// <summary>Only these cards (names, hosts, wildcards, or devices from the pipeline); all cards by default.</summary>
        [Parameter(ValueFromPipeline = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public NmcDevicePipeBind[]? Device { get; set; }

        /// <summary>Replaces an existing file.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

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
            var path = FilePaths.ResolveTarget(literal ? LiteralPath : Path, literal, "report file", ThrowTerminatingError)!;
            // Piped input that turned out empty (Get-NmcDevice -Name nomatch | Export-NmcReport) reports nothing, not everything.
            _sawDeviceArgument |= MyInvocation.ExpectingInput;
            if (_sawDeviceArgument && _selected.Count == 0)
            {
                WriteWarning("None of the given devices is in the inventory; no report was written.");
                base.EndProcessing();
                return;
            }
            try
            {
                // Refuse an existing file before asking: the answer could not change the outcome.
                FleetReportExporter.CheckTarget(path, Force);
                var devices = _sawDeviceArgument
                    ? _selected.GroupBy(d => d.Id).Select(g => g.First()).ToList()
                    : UsingStore(() => Services.Inventory.GetAll()).ToList();
                if (ShouldProcess(path, $"Write a {Format} fleet report of {devices.Count} card(s)")) Export(path, devices);
            }
            catch (DataExchangeException ex)
            {
                DrainLog();
                var (id, category) = DataExchangeErrors.Describe(ex);
                ThrowCommandError(id, category, path, ex.Message, null, ex);
            }
            base.EndProcessing();
        }

        private void Export(string path, IReadOnlyList<NmcDevice> devices)
        {
            var firmware = new FirmwareServices(Services, LoggerFactory);
            // A card handed over to a worker is reported as In Flight, as Get-NmcDevice shows it.
            devices = devices.Select(d => Core.DataExchange.DeviceHandOver.Present(d.Clone())).ToList();
            var input = UsingStore(() => FleetReportSources.Gather(devices, Services.DataFolder, firmware.Settings,
                firmware.CreateLibrary().GetCatalog(), firmware.JournalPath, DateTimeOffset.UtcNow));
            if (input.SubscriptionNote != null) WriteVerbose(input.SubscriptionNote);
            var report = FleetReportBuilder.Build(input);
            WriteObject(UsingStore(() => FleetReportExporter.WriteFile(path, Format, report, Force)));
        }
    }
}
