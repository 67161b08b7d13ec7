using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Reports
{
    /// <summary>
    /// What to do about a card that needs action, paraphrasing the SNS Tool user guide and the Secure
    /// NMC FAQ (/work/shared/seeds), with the module's command for each step.
    /// </summary>
    internal static class ActionGuidance
    {
        public const string Nmc2Problem = "NMC2 card (outside the Secure NMC System)";

        public static string? For(DeviceStatus status)
        {
            switch (status)
            {
                case DeviceStatus.ActivateSubscriptionToUpdate:
                    return "The card needs an active Secure NMC subscription of its own family before it may be updated. " +
                           "Get-NmcSubscription (Check License) retrieves the 1-year subscription included with cards bought from April 2024 " +
                           "or one activated earlier; otherwise activate a purchased subscription with Enable-NmcSubscription -ActivationId.";
                case DeviceStatus.IncorrectCredentials:
                    return "The card refused the stored user name or password. Store the current ones with Set-NmcDevice -Credential. " +
                           "If the card uses multi-factor authentication, use a local NMC user that has no e-mail address configured.";
                case DeviceStatus.NotAccessible:
                    return "The card could not be reached over the network. Check that it is powered, has a valid IPv4 address, " +
                           "and has the chosen protocol (SCP or FTP) enabled, then refresh it with Update-NmcDevice. " +
                           "Turning on the card's IPv4 ping response (Configuration > Security > Ping Response) helps tell an offline card from a busy one.";
                case DeviceStatus.UpdateError:
                    return "The last firmware update of the card ended in an error (see the error in the update run). " +
                           "Fix the cause, then run Invoke-NmcFirmwareUpdate for the card again.";
                default:
                    return null;
            }
        }

        public const string Nmc2 =
            "NMC2 firmware is in maintenance mode, so no Secure NMC subscription exists for NMC2 cards and this module does not update them. " +
            "Keep them current with the firmware on the APC web site (the card's web page header says \"Network Management Card 2\" or \"3\"), " +
            "or plan their replacement with an NMC3.";
    }
}
