using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Security;
using SecureNmc.Core.Storage;

namespace SecureNmc.PowerShell.Infrastructure
{
    /// <summary>
    /// What every SecureNmc cmdlet shares and nothing more: cancellation tied to Ctrl+C, Core's
    /// logging routed to -Verbose/-Debug on the pipeline thread, and error helpers that make one
    /// failing device a non-terminating error with an id, a category and the device as target.
    /// </summary>
    public abstract class NmcCmdlet : PSCmdlet, IDisposable
    {
        private CancellationTokenSource? _cancellation;
        private readonly PipelineLog _log = new PipelineLog();
        private ModuleServices? _services;
        private ProviderPaths? _paths;

        /// <summary>Cancelled when the user presses Ctrl+C (StopProcessing) or the pipeline ends.</summary>
        protected CancellationToken CancellationToken => _cancellation?.Token ?? CancellationToken.None;

        /// <summary>Factory for Core loggers; safe to use from any thread.</summary>
        internal ILoggerFactory LoggerFactory => _log;

        protected ILogger CreateLogger(string category) => _log.CreateLogger(category);

        /// <summary>Core's data folder, inventory, settings and credential protection, created on first use.</summary>
        internal ModuleServices Services => _services ??= new ModuleServices(_log);

        /// <summary>-Path / -LiteralPath resolution against the session's current location, as PowerShell's own cmdlets do it.</summary>
        internal ProviderPaths FilePaths => _paths ??= new ProviderPaths(this);

        /// <summary>
        /// Runs work against the data folder. A store that cannot be used (locked by another session
        /// for too long, damaged, unreadable key) stops the command: no device could be handled.
        /// </summary>
        internal T UsingStore<T>(Func<T> work)
        {
            try
            {
                var result = work();
                DrainLog();
                return result;
            }
            catch (StoreLockTimeoutException ex)
            {
                DrainLog();
                ThrowCommandError("StoreLocked", ErrorCategory.ResourceBusy, ex.FilePath, ex.Message,
                    "Another PowerShell session is writing the SecureNmc data folder; wait for it to finish and run the command again.", ex);
                throw; // not reached: ThrowCommandError always throws
            }
            catch (StoreCorruptException ex)
            {
                DrainLog();
                ThrowCommandError("StoreCorrupt", ErrorCategory.InvalidData, ex.FilePath, ex.Message,
                    "Restore the file from a backup, or move it aside to start an empty one.", ex);
                throw;
            }
            catch (StoreException ex)
            {
                DrainLog();
                ThrowCommandError("StoreUnavailable", ErrorCategory.ReadError, ex.FilePath, ex.Message, null, ex);
                throw;
            }
            catch (UnauthorizedAccessException ex)
            {
                DrainLog();
                ThrowCommandError("DataFolderAccessDenied", ErrorCategory.PermissionDenied, null, ex.Message,
                    "Check that you can write the SecureNmc data folder, or point SECURENMC_HOME (or Set-NmcSetting -DataFolder) at one you can.", ex);
                throw;
            }
            catch (System.IO.IOException ex)
            {
                DrainLog();
                ThrowCommandError("StoreUnavailable", ErrorCategory.WriteError, null, ex.Message, null, ex);
                throw;
            }
            catch (CredentialProtectionException ex)
            {
                DrainLog();
                ThrowCommandError("CredentialProtectionFailed", ErrorCategory.SecurityError, null, ex.Message,
                    "Passwords can only be decrypted by the user who stored them, on the same machine (or with the same key file).", ex);
                throw;
            }
        }

        internal void UsingStore(Action work) => UsingStore(() => { work(); return true; });

        protected override void BeginProcessing()
        {
            _cancellation = new CancellationTokenSource();
            _log.MinimumLevel = ChooseLogLevel();
            base.BeginProcessing();
        }

        protected override void EndProcessing()
        {
            DrainLog();
            base.EndProcessing();
        }

        protected override void StopProcessing()
        {
            // Runs on another thread while ProcessRecord may be blocked: only signal, never write.
            try { _cancellation?.Cancel(); } catch (ObjectDisposedException) { }
            base.StopProcessing();
        }

        /// <summary>PowerShell disposes a cmdlet when its pipeline ends.</summary>
        public void Dispose()
        {
            var cancellation = _cancellation;
            _cancellation = null;
            cancellation?.Dispose();
        }

        /// <summary>
        /// Writes what Core logged since the last call. Only ever call this on the pipeline thread
        /// (inside Begin/Process/EndProcessing), which is where every caller in this base already is.
        /// </summary>
        protected void DrainLog()
        {
            foreach (var entry in _log.Drain())
            {
                switch (entry.Level)
                {
                    case LogLevel.Trace:
                    case LogLevel.Debug:
                        WriteDebug(entry.Message);
                        break;
                    case LogLevel.Warning:
                        WriteWarning(entry.Message);
                        break;
                    case LogLevel.Error:
                    case LogLevel.Critical:
                        // The failure itself reaches the user as an ErrorRecord from the cmdlet; the log adds detail.
                        WriteVerbose("[error] " + entry.Message);
                        break;
                    default:
                        WriteVerbose(entry.Message);
                        break;
                }
            }
        }

        /// <summary>
        /// Waits for Core work running on other threads while keeping the console alive: log lines
        /// appear as they happen and Ctrl+C is honoured (the task sees <see cref="CancellationToken"/>).
        /// </summary>
        protected T WaitForCore<T>(Task<T> task)
        {
            WaitForCore((Task)task);
            return task.GetAwaiter().GetResult();
        }

        protected void WaitForCore(Task task)
        {
            while (!task.Wait(TimeSpan.FromMilliseconds(100)))
                DrainLog();
            DrainLog();
            task.GetAwaiter().GetResult(); // rethrows the original exception, not an AggregateException
        }

        /// <summary>A non-terminating error about one device (or other target); the pipeline goes on.</summary>
        protected void WriteTargetError(string errorId, ErrorCategory category, object? target, string message, string? recommendedAction = null, Exception? inner = null)
        {
            WriteError(CreateError(errorId, category, target, message, recommendedAction, inner));
        }

        /// <summary>
        /// The inventory devices one -Device argument names. A name or id that matches nothing is a
        /// non-terminating DeviceNotFound error (with the cmdlet's own advice) and the pipeline goes on.
        /// </summary>
        internal List<NmcDevice> ResolveOrReport(DeviceArguments arguments, NmcDevicePipeBind argument, string recommendedAction)
        {
            var matches = arguments.Resolve(argument, out var notFound);
            if (notFound)
                WriteTargetError("DeviceNotFound", ErrorCategory.ObjectNotFound, argument.Device ?? (object)argument.ToString(),
                    $"Device '{argument}' is not in the inventory.", recommendedAction);
            return matches;
        }

        /// <summary>
        /// The devices this inventory may work on itself: cards in flight at a worker (Export-NmcBundle
        /// -HandOverTo) are left out. Named cards get a DeviceInFlight error each (naming the worker, the
        /// time and what to do); when the whole inventory was meant, one warning sums them up, since
        /// cards a worker holds are not a failure of this run. Under -WhatIf each is a "What if" line.
        /// </summary>
        internal List<NmcDevice> LeaveOutInFlight(IEnumerable<NmcDevice> devices, bool wholeInventory, string action)
        {
            var (free, away) = Core.DataExchange.DeviceHandOver.Split(devices);
            if (away.Count == 0) return free;
            if (HighImpactConfirmation.WhatIfRequested(this))
            {
                foreach (var device in away)
                    ShouldProcess($"{device.DisplayName}: left out, it is in flight ({Core.DataExchange.DeviceHandOver.Describe(device)})", device.DisplayName, "In flight");
            }
            else if (wholeInventory)
            {
                WriteWarning($"{Core.DataExchange.DeviceHandOver.Summary(away)} were left out: a worker holds them and this inventory does not {action} them. {Core.DataExchange.DeviceHandOver.WhatToDo} Get-NmcDevice -InFlight lists them.");
            }
            else
            {
                foreach (var device in away)
                    WriteTargetError("DeviceInFlight", ErrorCategory.ResourceBusy, device, Core.DataExchange.DeviceHandOver.Refusal(device, action), Core.DataExchange.DeviceHandOver.WhatToDo);
            }
            return free;
        }

        /// <summary>Stops the whole command: only when nothing at all can proceed (no inventory, bad file).</summary>
        protected void ThrowCommandError(string errorId, ErrorCategory category, object? target, string message, string? recommendedAction = null, Exception? inner = null)
        {
            ThrowTerminatingError(CreateError(errorId, category, target, message, recommendedAction, inner));
        }

        internal static ErrorRecord CreateError(string errorId, ErrorCategory category, object? target, string message, string? recommendedAction, Exception? inner)
        {
            var exception = inner != null && inner.Message == message ? inner : new InvalidOperationException(message, inner);
            var record = new ErrorRecord(exception, "SecureNmc." + errorId, category, target);
            record.ErrorDetails = new ErrorDetails(message);
            if (recommendedAction != null) record.ErrorDetails.RecommendedAction = recommendedAction;
            return record;
        }

        /// <summary>ShouldProcess over several targets with a readable, cut-down list of names.</summary>
        protected bool ShouldProcessTargets(IReadOnlyCollection<string> names, string action)
        {
            var target = names.Count == 1 ? string.Join("", names) : $"{names.Count} devices: {ConfirmationText.Targets(names)}";
            return ShouldProcess(target, action);
        }

        private LogLevel ChooseLogLevel()
        {
            if (IsSwitchOn("Debug", "DebugPreference")) return LogLevel.Debug;
            if (IsSwitchOn("Verbose", "VerbosePreference")) return LogLevel.Information;
            return LogLevel.Warning;
        }

        /// <summary>-Verbose/-Debug on this command, else the caller's preference variable.</summary>
        private bool IsSwitchOn(string parameter, string preferenceVariable)
        {
            if (MyInvocation.BoundParameters.TryGetValue(parameter, out var bound))
                return bound is SwitchParameter sw ? sw.IsPresent : bound is bool b && b;
            var preference = GetVariableValue(preferenceVariable);
            if (preference is ActionPreference action) return action != ActionPreference.SilentlyContinue && action != ActionPreference.Ignore;
            if (preference is string text && Enum.TryParse(text, true, out ActionPreference parsed))
                return parsed != ActionPreference.SilentlyContinue && parsed != ActionPreference.Ignore;
            return false;
        }

    }
}
