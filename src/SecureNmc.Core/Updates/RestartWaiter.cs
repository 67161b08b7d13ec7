using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Updates
{
    /// <summary>
    /// "Restarting Interface": after an upload the card installs the package and reboots. Poll
    /// (with back-off) until it stops answering with its old firmware, then until it answers again.
    /// </summary>
    internal sealed class RestartWaiter
    {
        private readonly IDeviceVersionReader _reader;
        private readonly IUpdateClock _clock;
        private readonly UpdateEngineOptions _options;

        public RestartWaiter(IDeviceVersionReader reader, IUpdateClock clock, UpdateEngineOptions options)
        {
            _reader = reader;
            _clock = clock;
            _options = options;
        }

        /// <summary>
        /// Returns the versions the card reports once it is back. With <paramref name="before"/> set, first
        /// waits for the card to drop (or to already report different firmware); with it null (resume), only
        /// waits for the card to answer.
        /// </summary>
        public async Task<DeviceVersions> WaitAsync(NmcDevice device, DeviceVersions? before, CancellationToken cancellationToken)
        {
            var poll = _options.RestartPollInitial;
            if (before != null)
            {
                var dropDeadline = _clock.UtcNow + _options.RestartDropTimeout;
                while (true)
                {
                    await _clock.Delay(poll, cancellationToken).ConfigureAwait(false);
                    poll = Next(poll);
                    var seen = await TryReadAsync(device, cancellationToken).ConfigureAwait(false);
                    if (seen == null) break; // dropped: it is restarting
                    if (seen.ApplicationType != before.ApplicationType || seen.ApplicationVersion != before.ApplicationVersion)
                        return seen; // restarted between two polls
                    if (RestartedSince(before, seen))
                        return seen; // restarted between two polls, on the same version (a reinstall, or a package it refused)
                    if (_clock.UtcNow >= dropDeadline)
                        throw new RestartTimeoutException($"{device.DisplayName} still runs {seen} {Minutes(_options.RestartDropTimeout)} after the upload; it did not start installing the package.");
                }
                poll = _options.RestartPollInitial;
            }

            var returnDeadline = _clock.UtcNow + _options.RestartReturnTimeout;
            while (true)
            {
                var back = await TryReadAsync(device, cancellationToken).ConfigureAwait(false);
                if (back != null) return back;
                if (_clock.UtcNow >= returnDeadline)
                    throw new RestartTimeoutException($"{device.DisplayName} did not come back within {Minutes(_options.RestartReturnTimeout)} of restarting. Check it on the network (linked rack PDUs can take about 10 minutes); run the update again to verify it, or raise the RestartTimeoutSeconds setting (Set-NmcSetting) if this card needs longer.");
                await _clock.Delay(poll, cancellationToken).ConfigureAwait(false);
                poll = Next(poll);
            }
        }

        private async Task<DeviceVersions?> TryReadAsync(NmcDevice device, CancellationToken cancellationToken)
        {
            try
            {
                return await _reader.ReadAsync(device, cancellationToken).ConfigureAwait(false);
            }
            catch (FileTransferException ex) when (ex.IsTransient || ex.Kind == TransferFailureKind.ProtocolError)
            {
                // Down, booting, or its services not up yet: expected while it restarts, so a verbose
                // line, never a warning. Only the timeouts above are worth the admin's attention.
                _options.Logger.LogInformation("{Device} is restarting and does not answer yet ({Reason}).", device.DisplayName, ex.Kind);
                return null;
            }
        }

        /// <summary>
        /// The card's own evidence of a reboot: event.txt gained a newer Coldstart (or Firmware Updated)
        /// event than the read before the upload had. A restart shorter than the first poll interval
        /// is otherwise invisible when the version does not change, and was taken for "never started
        /// installing" after waiting out the whole drop timeout.
        /// </summary>
        internal static bool RestartedSince(DeviceVersions before, DeviceVersions seen) =>
            Changed(before.Identity?.LastColdstartEvent, seen.Identity?.LastColdstartEvent) ||
            Changed(before.Identity?.LastFirmwareUpdateEvent, seen.Identity?.LastFirmwareUpdateEvent);

        // Both reads must carry the event: a read without event.txt proves nothing either way.
        private static bool Changed(string? before, string? now) =>
            before != null && now != null && !string.Equals(before, now, StringComparison.Ordinal);

        private TimeSpan Next(TimeSpan poll)
        {
            var doubled = TimeSpan.FromTicks(poll.Ticks * 2);
            return doubled > _options.RestartPollMax ? _options.RestartPollMax : doubled;
        }

        private static string Minutes(TimeSpan t) => t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.#} minutes" : $"{t.TotalSeconds:0} seconds";
    }
}
