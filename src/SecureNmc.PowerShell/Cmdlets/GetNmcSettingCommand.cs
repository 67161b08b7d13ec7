using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Settings;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>Shows the module's settings (the SNS Tool's Configuration Settings), with defaults and descriptions.</summary>
    [Cmdlet(VerbsCommon.Get, "NmcSetting")]
    [OutputType(typeof(SettingInfo))]
    public sealed class GetNmcSettingCommand : NmcCmdlet
    {
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(SettingNameCompleter))]
        public string[]? Name { get; set; }

        protected override void ProcessRecord()
        {
            var settings = UsingStore(() => Services.Settings.Load());
            var patterns = (Name ?? new[] { "*" }).Select(n => new WildcardMatcher(n)).ToList();
            WriteObject(settings.Describe().Where(s => patterns.Any(p => p.IsMatch(s.Name))), enumerateCollection: true);
            foreach (var literal in (Name ?? new string[0]).Where(n => !WildcardMatcher.ContainsWildcard(n) && SettingDefinition.Find(n) == null))
                WriteTargetError("UnknownSetting", ErrorCategory.ObjectNotFound, literal,
                    $"There is no setting named '{literal}'. Settings: {string.Join(", ", SettingDefinition.All.Select(d => d.Name))}.");
        }
    }
}
