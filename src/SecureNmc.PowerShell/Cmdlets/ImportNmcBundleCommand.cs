using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Security;
using SecureNmc.Core.Bundles;
using SecureNmc.Core.DataExchange;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// Imports a bundle written by Export-NmcBundle: verifies the password and every hash first, then
    /// adds firmware, licences and devices all or nothing. -WhatIf verifies the bundle and lists what
    /// would change, one line per device, licence and firmware file.
    /// </summary>
    [Cmdlet(VerbsData.Import, "NmcBundle", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = PathSet)]
    [OutputType(typeof(BundleImportItem))]
    public sealed class ImportNmcBundleCommand : NmcCmdlet
    {
        private const string PathSet = "Path";
        private const string LiteralPathSet = "LiteralPath";

        /// <summary>The bundle; wildcards expand but must match one file.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        public string Path { get; set; } = "";

        /// <summary>The bundle taken exactly as written; `Get-ChildItem *.snmc | Import-NmcBundle` binds PSPath here.</summary>
        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = LiteralPathSet)]
        [Alias("PSPath", "LP", "FullName")]
        public string LiteralPath { get; set; } = "";

        [Parameter]
        public SecureString? Password { get; set; }

        /// <summary>What to do with a device whose host and port are already in the inventory.</summary>
        [Parameter]
        public ImportConflict Conflict { get; set; } = ImportConflict.Skip;

        /// <summary>Accepts firmware and licences from a bundle written without a password (refused by default).</summary>
        [Parameter]
        public SwitchParameter AllowUnencrypted { get; set; }

        protected override void ProcessRecord()
        {
            var literal = ParameterSetName == LiteralPathSet;
            var path = FilePaths.ResolveOneExisting(literal ? LiteralPath : Path, literal, "bundle", WriteError);
            if (path == null) return;
            try
            {
                var stores = UsingStore(() => new DataExchangeStores(Services.DataFolder, Services.Inventory, Services.CredentialProtector,
                    LicensingKeySetting.Read(Services.Settings.Load()), CreateLogger("SecureNmc.Bundles")));
                var importer = new BundleImporter(stores);
                if (IsWhatIf())
                {
                    var preview = UsingStore(() => SecurePassword.Use(Password, chars => importer.Preview(path, chars, Conflict, AllowUnencrypted)));
                    foreach (var item in preview.Items)
                        ShouldProcess($"{item.Kind} {item.Name}", $"{Verb(item.Action)} ({item.Detail})");
                    WriteVerbose($"{System.IO.Path.GetFileName(path)} verified; an import would do: {preview.Summary()}.");
                    return;
                }
                if (!ShouldProcess(path, $"Import devices, licences and firmware (devices already in the inventory: {Conflict})")) return;
                var result = UsingStore(() => SecurePassword.Use(Password, chars => importer.Import(path, chars, Conflict, AllowUnencrypted)));
                foreach (var item in result.Items.Where(i => i.Action == BundleImportAction.Skipped))
                    WriteWarning($"{item.Name}: {item.Detail}");
                foreach (var item in result.Items.Where(i => i.Action == BundleImportAction.Conflict))
                    WriteTargetError("DeviceChangedInTwoPlaces", ErrorCategory.WriteError, item.Name, $"Device {item.Name} was not imported: {item.Detail}",
                        "Run Update-NmcDevice on the card to read its real state, then hand it over again.");
                WriteVerbose($"{System.IO.Path.GetFileName(path)}: {result.Summary()}.");
                WriteObject(result.Items, enumerateCollection: true);
            }
            catch (BundleException ex)
            {
                DrainLog();
                var (id, category, advice) = DataExchangeErrors.Describe(ex);
                // The bundle's messages describe its content; say which file they are about.
                WriteTargetError(id, category, path, $"{System.IO.Path.GetFileName(path)}: {ex.Message}", advice, ex);
            }
            catch (DataExchangeException ex)
            {
                DrainLog();
                var (id, category) = DataExchangeErrors.Describe(ex);
                WriteTargetError(id, category, path, ex.Message, null, ex);
            }
        }

        private bool IsWhatIf()
        {
            if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound)) return bound is SwitchParameter sw ? sw.IsPresent : bound is bool b && b;
            var preference = GetVariableValue("WhatIfPreference");
            return preference is SwitchParameter s ? s.IsPresent : preference is bool flag && flag;
        }

        private static string Verb(BundleImportAction action) => action switch
        {
            BundleImportAction.Added => "Add",
            BundleImportAction.Overwritten => "Overwrite",
            BundleImportAction.Skipped => "Skip",
            _ => "Leave as it is",
        };
    }
}
