using System;

namespace SecureNmc.Core.Transport
{
    /// <summary>Why a session or transfer failed, so callers can map it to a device status.</summary>
    public enum TransferFailureKind
    {
        CannotConnect,
        HostKeyRejected,
        BadCredentials,
        PasswordChangeRequired,
        MultiFactorRequired,
        /// <summary>The card allows one session and already has one ("Max logins exceeded.").</summary>
        SessionLimitReached,
        InsufficientRights,
        TransferFailed,
        TimedOut,
        /// <summary>The peer broke the protocol (malformed packet, bad MAC, no common algorithm...).</summary>
        ProtocolError,
    }

    /// <summary>Base of every typed transport failure. Messages never contain secrets.</summary>
    public class FileTransferException : Exception
    {
        public FileTransferException(TransferFailureKind kind, string host, string message, Exception? inner = null)
            : base(message, inner)
        {
            Kind = kind;
            Host = host;
        }

        public TransferFailureKind Kind { get; }
        public string Host { get; }

        /// <summary>Text the card itself sent with the failure (banner, reply line), if any.</summary>
        public string? ServerMessage { get; set; }

        /// <summary>True when trying again later may succeed (timeouts, dropped links, busy card).</summary>
        public virtual bool IsTransient =>
            Kind == TransferFailureKind.CannotConnect || Kind == TransferFailureKind.TimedOut ||
            Kind == TransferFailureKind.TransferFailed || Kind == TransferFailureKind.SessionLimitReached;
    }

    public sealed class HostKeyRejectedException : FileTransferException
    {
        public HostKeyRejectedException(string host, string message, string? expectedFingerprint, string presentedFingerprint)
            : base(TransferFailureKind.HostKeyRejected, host, message)
        {
            ExpectedFingerprint = expectedFingerprint;
            PresentedFingerprint = presentedFingerprint;
        }

        /// <summary>The fingerprint on record (known hosts or pin); null in strict mode for an unknown host.</summary>
        public string? ExpectedFingerprint { get; }
        public string PresentedFingerprint { get; }
    }
}
