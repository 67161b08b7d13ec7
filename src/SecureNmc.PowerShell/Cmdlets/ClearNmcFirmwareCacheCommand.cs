using System.Management.Automation;
using SecureNmc.Core.Firmware;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>The seed's Clear Cache: deletes the cached packages and the catalog. Saved copies elsewhere are left alone.</summary>
    [Cmdlet(VerbsCommon.Clear, "NmcFirmwareCache", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(CacheClearResult))]
    public sealed class ClearNmcFirmwareCacheCommand : NmcCmdlet
    {
        /// <summary>Writes what was deleted (files, bytes, catalog entries).</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>Skips the confirmation prompt.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void EndProcessing()
        {
            var library = UsingStore(() => new FirmwareServices(Services, LoggerFactory).CreateLibrary());
            var count = UsingStore(() => library.GetCatalog().Packages.Count);
            var action = $"Delete the firmware cache ({count} catalog entr{(count == 1 ? "y" : "ies")} and every cached package file)";
            if (!HighImpactConfirmation.Approve(this, Force, library.CacheFolder, action))
            {
                base.EndProcessing();
                return;
            }
            var result = UsingStore(() => library.Clear());
            WriteVerbose($"Deleted {result.FilesDeleted} file(s), {result.BytesFreed:N0} bytes, {result.CatalogEntriesRemoved} catalog entries from {result.Folder}.");
            if (PassThru) WriteObject(result);
            base.EndProcessing();
        }
    }
}
