using System;
using System.IO;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Firmware;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Updates
{
    /// <summary>The card came back from its restart running something other than the step's package.</summary>
    public sealed class UpdateVerificationException : Exception
    {
        public UpdateVerificationException(string message) : base(message) { }
    }

    /// <summary>The card did not drop, or did not return, within the restart limits.</summary>
    public sealed class RestartTimeoutException : Exception
    {
        public RestartTimeoutException(string message) : base(message) { }
    }

    /// <summary>A package does not fit the card (application type or hardware); it is never sent.</summary>
    public sealed class WrongFirmwareException : Exception
    {
        public WrongFirmwareException(string message) : base(message) { }
    }

    /// <summary>The card no longer matches its plan (changed since it was queried); nothing is sent.</summary>
    public sealed class DeviceChangedException : Exception
    {
        public DeviceChangedException(string message) : base(message) { }
    }

    /// <summary>How a failure ends an attempt: the status, whether retrying can help, and the reason.</summary>
    internal readonly struct CardFailure
    {
        private CardFailure(DeviceStatus status, bool retryable, string message, bool needsAttention = false)
        {
            Status = status;
            Retryable = retryable;
            Message = message;
            NeedsAttention = needsAttention;
        }

        public DeviceStatus Status { get; }
        public bool Retryable { get; }
        public string Message { get; }

        /// <summary>
        /// The card is in a state the admin must look at whatever the retries do: it did not come back
        /// from its restart in time, or came back not running the package it took. Such a failure is a
        /// warning; the others are verbose (the retry shows as Retrying Update, a final failure is an error record).
        /// </summary>
        public bool NeedsAttention { get; }

        public static CardFailure Classify(Exception ex, string deviceName)
        {
            switch (ex)
            {
                case FileTransferException f:
                    switch (f.Kind)
                    {
                        case TransferFailureKind.BadCredentials:
                            return new CardFailure(DeviceStatus.IncorrectCredentials, false, $"{deviceName} refused the user name or password. Store the right credential (Set-NmcDevice -Credential) and try again.");
                        // A password change or MFA is a problem of the stored credential, as for a query
                        // (QueryFailureText): the same card gets the same status whichever the user ran.
                        case TransferFailureKind.PasswordChangeRequired:
                            return new CardFailure(DeviceStatus.IncorrectCredentials, false, $"{deviceName} requires its password to be changed at the first login. Log in once, change it, store the new credential, then update.");
                        case TransferFailureKind.MultiFactorRequired:
                            return new CardFailure(DeviceStatus.IncorrectCredentials, false, $"{deviceName} requires multi-factor authentication for this user, which updates cannot use (FAQ000276382). Use a local user without an e-mail address.");
                        case TransferFailureKind.HostKeyRejected:
                            return new CardFailure(DeviceStatus.UpdateError, false, $"{deviceName} presented an SSH host key that does not match the one on record: {f.Message}");
                        case TransferFailureKind.InsufficientRights:
                            return new CardFailure(DeviceStatus.UpdateError, false, $"{deviceName} refused the upload: the user lacks administrator rights ({f.ServerMessage ?? f.Message}). Use an Administrator account.");
                        case TransferFailureKind.CannotConnect:
                            return new CardFailure(DeviceStatus.UpdateError, true, $"{deviceName} is not accessible: {f.Message}");
                        default:
                            return new CardFailure(DeviceStatus.UpdateError, f.IsTransient || f.Kind == TransferFailureKind.ProtocolError, $"{deviceName}: {f.Message}");
                    }
                case FirmwareIntegrityException i:
                    return new CardFailure(DeviceStatus.UpdateError, false, i.Message);
                case FirmwareNotAvailableException n:
                    return new CardFailure(DeviceStatus.FirmwareUnavailable, false, n.Message);
                case WrongFirmwareException w:
                    return new CardFailure(DeviceStatus.UpdateError, false, w.Message);
                case DeviceChangedException d:
                    return new CardFailure(DeviceStatus.UpdateError, false, d.Message);
                case UpdateVerificationException v:
                    return new CardFailure(DeviceStatus.UpdateError, true, v.Message, needsAttention: true);
                case RestartTimeoutException r:
                    return new CardFailure(DeviceStatus.UpdateError, true, r.Message, needsAttention: true);
                case TimeoutException t:
                    return new CardFailure(DeviceStatus.UpdateError, true, $"{deviceName}: {t.Message}");
                case IOException io:
                    return new CardFailure(DeviceStatus.UpdateError, false, $"{deviceName}: a local file could not be written or read: {io.Message}");
                default:
                    return new CardFailure(DeviceStatus.UpdateError, false, $"{deviceName}: unexpected {ex.GetType().Name}: {ex.Message}");
            }
        }
    }
}
