using System;
using System.Management.Automation;
using System.Management.Automation.Host;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// Whether anyone can answer a prompt. [Environment]::UserInteractive is true for a
    /// `pwsh -NonInteractive` started by a scheduler, so it cannot tell; what can is the host
    /// (no UI, or a UI without a console behind it, as in Azure Automation's sandbox and remoting
    /// without a client) and the -NonInteractive switch on the process's command line (pwsh and
    /// powershell.exe accept any unambiguous prefix of it, down to -noni).
    /// </summary>
    internal static class NonInteractiveHost
    {
        public static bool IsNonInteractive(PSHost? host) =>
            host?.UI == null || !HasRawUI(host.UI) || CommandLineSaysNonInteractive(Environment.GetCommandLineArgs());

        /// <summary>
        /// True when the PowerShell switches (before -Command / -File, after which come the script and
        /// its own arguments) include -NonInteractive or a prefix of it of at least four letters.
        /// </summary>
        public static bool CommandLineSaysNonInteractive(string[] args)
        {
            for (int i = 1; i < args.Length; i++)
            {
                var arg = args[i];
                if (arg.Length < 2 || (arg[0] != '-' && arg[0] != '/')) continue;
                var name = arg.TrimStart('-', '/').ToLowerInvariant();
                var colon = name.IndexOf(':');
                if (colon >= 0) name = name.Substring(0, colon);
                if (name.Length >= 4 && "noninteractive".StartsWith(name, StringComparison.Ordinal)) return true;
                if (IsPrefixOf(name, "command") || IsPrefixOf(name, "file") || name == "e" || name == "ec" || IsPrefixOf(name, "encodedcommand") && name.Length >= 2 && name[1] == 'n')
                    return false;
            }
            return false;
        }

        private static bool IsPrefixOf(string name, string full) => name.Length >= 1 && full.StartsWith(name, StringComparison.Ordinal);

        /// <summary>A host UI whose RawUI is missing or throws has no console a person could type into.</summary>
        private static bool HasRawUI(PSHostUserInterface ui)
        {
            try { return ui.RawUI != null; }
            catch (NotImplementedException) { return false; }
            catch (NotSupportedException) { return false; }
            catch (HostException) { return false; }
        }

        /// <summary>
        /// Whether ShouldProcess at <paramref name="impact"/> would ask: not under -WhatIf; as -Confirm
        /// says when it is given; otherwise when -Force is absent and the impact reaches $ConfirmPreference.
        /// </summary>
        public static bool ShouldProcessWouldPrompt(PSCmdlet cmdlet, bool force, ConfirmImpact impact)
        {
            if (HighImpactConfirmation.WhatIfRequested(cmdlet)) return false;
            if (cmdlet.MyInvocation.BoundParameters.TryGetValue("Confirm", out var bound))
                return bound is SwitchParameter sw ? sw.IsPresent : bound is bool b && b;
            if (force) return false;
            var preference = cmdlet.SessionState.PSVariable.GetValue("ConfirmPreference");
            var level = preference is ConfirmImpact c ? c
                : preference != null && Enum.TryParse(preference.ToString(), true, out ConfirmImpact parsed) ? parsed
                : ConfirmImpact.High;
            return level != ConfirmImpact.None && impact >= level;
        }
    }
}
