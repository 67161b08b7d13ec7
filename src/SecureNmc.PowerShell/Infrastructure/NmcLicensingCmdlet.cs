using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Licensing.Sessions;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// What the licensing cmdlets share: the session's <see cref="SubscriptionManager"/> from the
    /// LicensingEndpoint / LicensingServiceKey settings, Core calls with the log routed to this command
    /// and progress drained on the pipeline thread, and licensing failures mapped to error records.
    /// </summary>
    public abstract class NmcLicensingCmdlet : NmcCmdlet
    {
        private const int ProgressActivityId = 1;
        private SubscriptionManager? _manager;
        private bool _progressShown;
        private string _progressActivity = "";

        /// <summary>The session's licensing engine; stops the command with what to set when it is not configured.</summary>
        internal SubscriptionManager Manager
        {
            get
            {
                if (_manager != null) return _manager;
                var settings = UsingStore(() => Services.Settings.Load());
                var folder = UsingStore(() => Services.DataFolder);
                var protector = UsingStore(() => Services.CredentialProtector);
                try { _manager = LicensingSessions.GetManager(settings, folder, protector); }
                catch (ArgumentException ex)
                {
                    ThrowCommandError("LicensingNotConfigured", ErrorCategory.InvalidOperation, null, ex.Message,
                        "Set the licensing service with Set-NmcSetting -LicensingEndpoint <https address> -LicensingServiceKey <base64 public key>, or run Start-NmcLicensingSimulator to rehearse against the simulated service.", ex);
                }
                return _manager!;
            }
        }

        /// <summary>Runs a Core call on the pipeline thread with its log lines routed here; licensing failures stop the command.</summary>
        internal T CallLicensing<T>(Func<T> work)
        {
            var logger = CreateLogger("SecureNmc.Licensing");
            try
            {
                using (RoutedLogger.RouteTo(logger))
                    return UsingStore(work);
            }
            catch (LicensingException ex)
            {
                DrainLog();
                ThrowLicensingError(ex, null);
                throw; // not reached: ThrowCommandError always throws
            }
            catch (ArgumentException ex)
            {
                DrainLog();
                ThrowCommandError("InvalidArgument", ErrorCategory.InvalidArgument, null, ex.Message, null, ex);
                throw;
            }
        }

        /// <summary>
        /// Runs asynchronous Core work (which reports progress from worker threads) while writing its log and
        /// progress on the pipeline thread every 100 ms; Ctrl+C cancels it through <see cref="NmcCmdlet.CancellationToken"/>.
        /// The progress bar is completed before any error is raised.
        /// </summary>
        internal T CallLicensingAsync<T>(Func<IProgress<LicensingProgress>, CancellationToken, Task<T>> work)
        {
            var progress = new LicensingProgressQueue();
            var cancellation = CancellationToken;
            return CallLicensing(() =>
            {
                Task<T> task;
                // The route is captured by Task.Run, so worker threads log into this command too.
                task = Task.Run(() => work(progress, cancellation), cancellation);
                ExceptionDispatchInfo? failure = null;
                T result = default!;
                try
                {
                    while (!((IAsyncResult)task).AsyncWaitHandle.WaitOne(TimeSpan.FromMilliseconds(100)))
                    {
                        DrainLog();
                        WriteProgressReports(progress);
                    }
                    DrainLog();
                    WriteProgressReports(progress);
                    result = task.GetAwaiter().GetResult(); // the original exception, not an AggregateException
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    failure = ExceptionDispatchInfo.Capture(ex);
                }
                CompleteProgress();
                failure?.Throw();
                return result;
            });
        }

        /// <summary>One parent bar: cards done of total, and the card that just finished with its result.</summary>
        private void WriteProgressReports(LicensingProgressQueue progress)
        {
            var reports = progress.Drain();
            if (reports.Count == 0) return;
            var last = reports[reports.Count - 1];
            _progressActivity = last.Activity;
            var record = new ProgressRecord(ProgressActivityId, last.Activity, $"{last.Completed} of {last.Total} card(s)")
            {
                PercentComplete = Math.Max(0, Math.Min(100, last.PercentComplete)),
                CurrentOperation = last.DeviceName == null ? last.Message : $"{last.DeviceName}: {last.Message}",
            };
            WriteProgress(record);
            _progressShown = true;
        }

        private void CompleteProgress()
        {
            if (!_progressShown) return;
            _progressShown = false;
            WriteProgress(new ProgressRecord(ProgressActivityId, _progressActivity, "Done") { RecordType = ProgressRecordType.Completed });
        }

        /// <summary>A whole-command licensing failure (not signed in, unreadable file, corrupt store) as a terminating error.</summary>
        internal void ThrowLicensingError(LicensingException ex, object? target)
        {
            ThrowCommandError(ex.Code.ToString(), CategoryOf(ex.Code), target ?? ex.CardSerial, ex.Message, RecommendedAction(ex.Code), ex);
        }

        /// <summary>One card's failure: a non-terminating error with the device (or serial) as target and the plain reason.</summary>
        internal void WriteCardError(LicensingErrorCode? code, object target, string message)
        {
            var actual = code ?? LicensingErrorCode.Unknown;
            WriteTargetError(actual.ToString(), CategoryOf(actual), target, message, RecommendedAction(actual));
        }

        /// <summary>Devices named by -Device arguments, from one read of the inventory; unknown names are reported.</summary>
        internal List<NmcDevice> ResolveDevices(DeviceArguments arguments, IEnumerable<NmcDevicePipeBind> devices)
        {
            var resolved = new List<NmcDevice>();
            foreach (var argument in devices)
                resolved.AddRange(ResolveOrReport(arguments, argument, "Check the name with Get-NmcDevice, or add the card with Add-NmcDevice."));
            return resolved;
        }

        internal static ErrorCategory CategoryOf(LicensingErrorCode code)
        {
            switch (code)
            {
                case LicensingErrorCode.NotSignedIn: return ErrorCategory.AuthenticationError;
                case LicensingErrorCode.InvalidCredentials: return ErrorCategory.AuthenticationError;
                case LicensingErrorCode.UnknownActivationId: return ErrorCategory.ObjectNotFound;
                case LicensingErrorCode.NoIncludedSubscription: return ErrorCategory.ObjectNotFound;
                case LicensingErrorCode.FamilyMismatch: return ErrorCategory.InvalidArgument;
                case LicensingErrorCode.ActivationIdAlreadyUsed: return ErrorCategory.ResourceExists;
                case LicensingErrorCode.SubscriptionExpired: return ErrorCategory.InvalidOperation;
                case LicensingErrorCode.CardIdentityMismatch: return ErrorCategory.InvalidData;
                case LicensingErrorCode.CardNotQueried: return ErrorCategory.InvalidData;
                case LicensingErrorCode.ServiceUnavailable: return ErrorCategory.ConnectionError;
                case LicensingErrorCode.ProtocolError: return ErrorCategory.ProtocolError;
                case LicensingErrorCode.SignatureInvalid: return ErrorCategory.SecurityError;
                case LicensingErrorCode.InvalidFile: return ErrorCategory.InvalidData;
                case LicensingErrorCode.InvalidRequest: return ErrorCategory.InvalidArgument;
                default: return ErrorCategory.NotSpecified;
            }
        }

        internal static string? RecommendedAction(LicensingErrorCode code)
        {
            switch (code)
            {
                case LicensingErrorCode.NotSignedIn: return "Run Connect-NmcAccount (with -Credential, or -Token for runbooks).";
                case LicensingErrorCode.InvalidCredentials: return "Check the user name and password of your Schneider Electric account.";
                case LicensingErrorCode.UnknownActivationId: return "Check the Activation ID against the email that delivered it.";
                case LicensingErrorCode.NoIncludedSubscription: return "Only cards bought from 1 April 2024 carry an included subscription: activate a purchased Activation ID with -ActivationId.";
                case LicensingErrorCode.FamilyMismatch: return "Use an Activation ID of the card's family (SWNMC3SU for Smart-UPS family cards, SWNMC3PDU for rack PDUs, FWENMC1P-ST for Easy UPS On-Line).";
                case LicensingErrorCode.ActivationIdAlreadyUsed: return "An Activation ID licenses one card: use an unused Activation ID for this card.";
                case LicensingErrorCode.SubscriptionExpired: return "An expired subscription cannot be renewed: purchase a new subscription and activate its new Activation ID.";
                case LicensingErrorCode.CardIdentityMismatch: return "The serial number is registered with another MAC address or family: query the device again (Get-NmcDevice -Refresh).";
                case LicensingErrorCode.CardNotQueried: return "Query the device first so its serial number, MAC address and application type are known.";
                case LicensingErrorCode.ServiceUnavailable: return "Check the LicensingEndpoint setting (Get-NmcSetting) and the network, then run the command again.";
                case LicensingErrorCode.SignatureInvalid: return "The licence was altered or comes from another service; check the LicensingServiceKey setting. It was not stored.";
                case LicensingErrorCode.InvalidFile: return "Use the file exactly as Export-NmcActivationRequest or Submit-NmcActivationRequest wrote it.";
                default: return null;
            }
        }
    }
}
