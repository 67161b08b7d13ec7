using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;

namespace SecureNmc.Core.Reports
{
    /// <summary>The colour class a status or subscription state is drawn in (the stylesheet maps classes to colours per scheme).</summary>
    internal static class StatusTone
    {
        public const string Good = "tone-good";
        public const string Info = "tone-info";
        public const string Warn = "tone-warn";
        public const string Bad = "tone-bad";
        public const string Muted = "tone-muted";

        public static string OfStatusText(string text)
        {
            if (!DeviceStatusText.TryParse(text, out var status)) return Muted;
            switch (status)
            {
                case DeviceStatus.AtCurrentVersion:
                case DeviceStatus.UpdateComplete:
                case DeviceStatus.NewerFirmwareInstalled:
                case DeviceStatus.DownloadComplete:
                    return Good;
                case DeviceStatus.ActivateSubscriptionToUpdate:
                case DeviceStatus.RetryingUpdate:
                case DeviceStatus.FirmwareUnavailable:
                case DeviceStatus.DownloadPending:
                    return Warn;
                case DeviceStatus.IncorrectCredentials:
                case DeviceStatus.NotAccessible:
                case DeviceStatus.UpdateError:
                case DeviceStatus.DownloadUnsuccessful:
                    return Bad;
                case DeviceStatus.Unknown:
                    return Muted;
                default:
                    return Info;
            }
        }

        public static string OfSubscription(string? state)
        {
            switch (state)
            {
                case nameof(SubscriptionState.Active):
                case nameof(SubscriptionState.Included):
                    return Good;
                case nameof(SubscriptionState.ExpiringSoon): return Warn;
                case nameof(SubscriptionState.Expired): return Bad;
                default: return Muted;
            }
        }

        public static string OfOutcome(string? outcome)
        {
            switch (outcome)
            {
                case "Updated": return Good;
                case "Failed": return Bad;
                case "Cancelled": return Warn;
                case "Skipped": return Muted;
                default: return Info;
            }
        }
    }
}
