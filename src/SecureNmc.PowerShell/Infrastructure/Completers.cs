using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Inventory;
using SecureNmc.Core.Storage;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>Tab completion of device names (and hosts) from the inventory.</summary>
    public sealed class DeviceNameCompleter : IArgumentCompleter
    {
        private const int MaxResults = 200;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IReadOnlyList<NmcDevice> devices;
            try { devices = new DeviceInventory(DataFolderLocator.Resolve()).GetAll(); }
            catch (Exception) { return Array.Empty<CompletionResult>(); } // completion must never throw at the user
            var typed = (wordToComplete ?? "").Trim('\'', '"');
            var matcher = new WildcardMatcher(typed + "*");
            return devices
                .SelectMany(d => new[] { d.DisplayName, d.Host })
                .Where(text => matcher.IsMatch(text))
                .Distinct(StringComparer.OrdinalIgnoreCase)
                .OrderBy(text => text, StringComparer.OrdinalIgnoreCase)
                .Take(MaxResults)
                .Select(text => new CompletionResult(ArgumentQuoting.Quote(text), text, CompletionResultType.ParameterValue, text))
                .ToList();
        }
    }

    /// <summary>Completes fixed words (protocols, statuses) case-insensitively.</summary>
    public abstract class FixedWordCompleter : IArgumentCompleter
    {
        protected abstract IEnumerable<string> Words { get; }

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var typed = (wordToComplete ?? "").Trim('\'', '"');
            return Words
                .Where(w => w.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Select(w => new CompletionResult(ArgumentQuoting.Quote(w), w, CompletionResultType.ParameterValue, w))
                .ToList();
        }
    }

    public sealed class ProtocolCompleter : FixedWordCompleter
    {
        protected override IEnumerable<string> Words => new[] { "SCP", "FTP" };
    }

    /// <summary>Statuses in the SNS Tool's wording, which -Status accepts as well as the enum names.</summary>
    public sealed class DeviceStatusCompleter : FixedWordCompleter
    {
        protected override IEnumerable<string> Words => DeviceStatusText.All.Select(s => s.ToText());
    }
}

namespace SecureNmc.PowerShell.Infrastructure
{
    public sealed class SettingNameCompleter : FixedWordCompleter
    {
        protected override IEnumerable<string> Words => SecureNmc.Core.Settings.SettingDefinition.All.Select(d => d.Name);
    }
}
