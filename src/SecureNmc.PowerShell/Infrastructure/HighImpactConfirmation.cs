using System.Management.Automation;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// ConfirmImpact High plus -Force, the way users expect it: -Force skips the prompt, but -WhatIf
    /// still only describes, and an explicit -Confirm still asks.
    /// </summary>
    internal static class HighImpactConfirmation
    {
        public static bool Approve(PSCmdlet cmdlet, bool force, string target, string action)
        {
            if (force && !cmdlet.MyInvocation.BoundParameters.ContainsKey("Confirm") && !WhatIfRequested(cmdlet)) return true;
            return cmdlet.ShouldProcess(target, action);
        }

        public static bool WhatIfRequested(PSCmdlet cmdlet)
        {
            if (cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out var bound))
                return bound is SwitchParameter sw ? sw.IsPresent : bound is bool b && b;
            var preference = cmdlet.SessionState.PSVariable.GetValue("WhatIfPreference");
            return preference is SwitchParameter p ? p.IsPresent : preference is bool pb && pb;
        }
    }
}
