using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>Lists the firmware library: cached and catalog-listed packages per application type and hardware.</summary>
    [Cmdlet(VerbsCommon.Get, "NmcFirmware")]
    [OutputType(typeof(FirmwarePackage))]
    public sealed class GetNmcFirmwareCommand : NmcCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public ApplicationType[]? ApplicationType { get; set; }

        /// <summary>Only the newest version per application type and hardware.</summary>
        [Parameter]
        public SwitchParameter Latest { get; set; }

        /// <summary>Reads the catalog service (setting FirmwareCatalogUrl) first.</summary>
        [Parameter]
        public SwitchParameter Refresh { get; set; }

        /// <summary>Checks every cached file against its recorded size and SHA-256.</summary>
        [Parameter]
        public SwitchParameter Verify { get; set; }

        private FirmwareLibrary? _library;

        protected override void BeginProcessing()
        {
            base.BeginProcessing();
            _library = UsingStore(() => new FirmwareServices(Services, LoggerFactory).CreateLibrary());
            if (Refresh)
            {
                if (!_library.HasCatalogService)
                    ThrowCommandError("NoCatalogService", ErrorCategory.InvalidOperation, null,
                        "No firmware catalog service is configured, so there is nothing to refresh from.",
                        "Set one with Set-NmcSetting -FirmwareCatalogUrl <url>, or add downloaded files with Import-NmcFirmware -Path.");
                CatalogRefreshResult refresh = null!;
                try { refresh = WaitForCore(_library.RefreshFromServiceAsync(CancellationToken)); }
                catch (System.Exception ex) when (!(ex is PipelineStoppedException) && !(ex is System.OperationCanceledException))
                {
                    ThrowCommandError("CatalogServiceUnavailable", ErrorCategory.ConnectionError, null,
                        "The firmware catalog service could not be read: " + ex.Message,
                        "Check the FirmwareCatalogUrl setting (Get-NmcSetting) and that the service is reachable; the cached packages are still usable.", ex);
                }
                WriteVerbose($"The catalog service listed {refresh.Added.Count} new package(s).");
                foreach (var problem in refresh.Problems) WriteWarning(problem);
            }
            if (Verify)
            {
                foreach (var bad in _library.VerifyCache())
                    WriteTargetError("FirmwareCorrupt", ErrorCategory.InvalidData, bad.FileName, bad.Message,
                        "Delete the file with Clear-NmcFirmwareCache and import or download it again.", bad);
            }
        }

        protected override void ProcessRecord()
        {
            var catalog = UsingStore(() => _library!.GetCatalog());
            if (ApplicationType == null || ApplicationType.Length == 0)
            {
                WriteObject(catalog.Query(null, null, Latest), enumerateCollection: true);
                return;
            }
            foreach (var type in ApplicationType)
                WriteObject(catalog.Query(type, null, Latest), enumerateCollection: true);
        }
    }
}
