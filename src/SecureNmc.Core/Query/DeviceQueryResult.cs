using System;
using System.Collections.Generic;
using SecureNmc.Core.CardFiles;
using SecureNmc.Core.Devices;

namespace SecureNmc.Core.Query
{
    /// <summary>What happened when a card was queried, finer than the status it leads to.</summary>
    public enum DeviceQueryOutcome
    {
        Success,
        /// <summary>An NMC2 (or an unrecognisable card): queried, but outside the Secure NMC System.</summary>
        NotSupported,
        /// <summary>config.ini arrived but is not a card configuration file.</summary>
        Unreadable,
        NoCredential,
        BadCredentials,
        MultiFactorRequired,
        PasswordChangeRequired,
        InsufficientRights,
        CannotConnect,
        TimedOut,
        HostKeyRejected,
        SessionLimitReached,
        ConnectionDropped,
        ProtocolError,
        /// <summary>A fault inside this module (logged); the card itself may be fine.</summary>
        InternalError,
    }

    /// <summary>The result of querying one device; the device record has already been updated.</summary>
    public sealed class DeviceQueryResult
    {
        public DeviceQueryResult(NmcDevice device, DeviceQueryOutcome outcome, DeviceStatus status, string? detail,
                                 CardIdentity? identity, IReadOnlyList<string> warnings, TimeSpan duration)
        {
            Device = device;
            Outcome = outcome;
            Status = status;
            Detail = detail;
            Identity = identity;
            Warnings = warnings;
            Duration = duration;
        }

        public NmcDevice Device { get; }
        public DeviceQueryOutcome Outcome { get; }
        public DeviceStatus Status { get; }

        /// <summary>The specific reason (also stored in <see cref="NmcDevice.StatusDetail"/>).</summary>
        public string? Detail { get; }

        /// <summary>What the card's files said; null when nothing could be read.</summary>
        public CardIdentity? Identity { get; }

        /// <summary>Optional sources that could not be read (about, event.txt, data.txt) and why.</summary>
        public IReadOnlyList<string> Warnings { get; }

        public TimeSpan Duration { get; }

        public bool Succeeded => Outcome == DeviceQueryOutcome.Success;

        public override string ToString() => $"{Device.DisplayName}: {Status.ToText()}" + (Detail != null ? " - " + Detail : "");
    }

    /// <summary>Raised as each device of a refresh starts and finishes.</summary>
    public sealed class DeviceQueryProgressEventArgs : EventArgs
    {
        public DeviceQueryProgressEventArgs(NmcDevice device, DeviceQueryResult? result, int completed, int total)
        {
            Device = device;
            Result = result;
            Completed = completed;
            Total = total;
        }

        public NmcDevice Device { get; }

        /// <summary>Null when the device has just started (its status is Querying).</summary>
        public DeviceQueryResult? Result { get; }

        public int Completed { get; }
        public int Total { get; }
        public int PercentComplete => Total == 0 ? 100 : (int)(100L * Completed / Total);
    }
}
