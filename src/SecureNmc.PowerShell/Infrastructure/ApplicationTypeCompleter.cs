using System.Collections.Generic;
using System.Linq;
using SecureNmc.Core.Devices;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>Completes the nine NMC3 application types (SU, RPDU2G...) for parameters typed as text.</summary>
    public sealed class ApplicationTypeCompleter : FixedWordCompleter
    {
        protected override IEnumerable<string> Words => ApplicationTypeInfo.All.Select(a => a.Type.ToString());
    }
}
