using System;
using SecureNmc.Core.Query;
using SecureNmc.Core.Transport;
using SecureNmc.Core.Updates;

namespace SecureNmc.Core.Settings
{
    /// <summary>
    /// Puts the user's timeout settings (Set-NmcSetting) into the options of the query service, the
    /// transports and the update engine, so every place that waits on a card honours the same limits.
    /// </summary>
    public static class TimeoutSettings
    {
        public static DeviceQueryOptions ApplyTimeouts(this DeviceQueryOptions options, NmcSettings settings)
        {
            options.ConnectTimeout = settings.ConnectTimeout;
            options.OperationTimeout = settings.ReplyTimeout;
            // The whole-query limit must leave room for a login and a few replies at the limits chosen.
            var room = settings.ConnectTimeout + TimeSpan.FromTicks(settings.ReplyTimeout.Ticks * 3);
            if (options.QueryTimeout < room) options.QueryTimeout = room;
            return options;
        }

        public static ConnectionOptions ApplyTimeouts(this ConnectionOptions options, NmcSettings settings)
        {
            options.ConnectTimeout = settings.ConnectTimeout;
            options.OperationTimeout = settings.ReplyTimeout;
            options.UploadStallTimeout = settings.UploadStallTimeout;
            return options;
        }

        public static UpdateEngineOptions ApplyTimeouts(this UpdateEngineOptions options, NmcSettings settings)
        {
            options.RestartReturnTimeout = TimeSpan.FromSeconds(settings.RestartTimeoutSeconds);
            return options;
        }
    }
}
