using System;
using System.Collections.Generic;
using SecureNmc.Core.Security;
using SecureNmc.Core.Transport;

namespace SecureNmc.Core.Devices
{
    /// <summary>One problem with one field of a device input.</summary>
    public sealed class DeviceInputError
    {
        public DeviceInputError(string field, string message)
        {
            Field = field;
            Message = message;
        }

        /// <summary>Host, Port, Protocol, Name, Site, UserName or Password.</summary>
        public string Field { get; }

        public string Message { get; }

        public override string ToString() => Message;
    }

    /// <summary>The validated device, or every reason it could not be made.</summary>
    public sealed class DeviceInputResult
    {
        internal DeviceInputResult(NmcDevice? device, IReadOnlyList<DeviceInputError> errors, IReadOnlyList<string> warnings, bool hadPassword)
        {
            Device = device;
            Errors = errors;
            Warnings = warnings;
            HadPassword = hadPassword;
        }

        public bool IsValid => Device != null;
        public NmcDevice? Device { get; }
        public IReadOnlyList<DeviceInputError> Errors { get; }

        /// <summary>Acceptable but worth a warning (a port no card would use).</summary>
        public IReadOnlyList<string> Warnings { get; }

        /// <summary>The input carried a plaintext password (now protected on the device).</summary>
        public bool HadPassword { get; }

        /// <summary>All errors in one sentence list, for an ErrorRecord.</summary>
        public string ErrorMessage => string.Join(" ", ErrorTexts());

        private IEnumerable<string> ErrorTexts() { foreach (var e in Errors) yield return e.Message; }
    }

    /// <summary>
    /// Validates user input into an <see cref="NmcDevice"/>: host (<see cref="HostNameValidator"/>),
    /// protocol (SCP default), port (default follows the protocol), name (defaults to the host) and
    /// credential (password protected at once; a device may have none).
    /// </summary>
    public sealed class DeviceInputNormalizer
    {
        private const int MaxNameLength = 256;
        private readonly ICredentialProtector? _protector;

        /// <param name="protector">Protects passwords; may be null only if inputs never carry one.</param>
        public DeviceInputNormalizer(ICredentialProtector? protector) => _protector = protector;

        public DeviceInputResult Normalize(DeviceInput input)
        {
            if (input == null) throw new ArgumentNullException(nameof(input));
            var errors = new List<DeviceInputError>();
            var warnings = new List<string>();

            var host = HostNameValidator.Validate(input.Host);
            if (!host.IsValid) errors.Add(new DeviceInputError(nameof(DeviceInput.Host), host.Error!));

            if (!TransferProtocolNames.TryParse(input.Protocol, out var protocol, out var protocolError))
                errors.Add(new DeviceInputError(nameof(DeviceInput.Protocol), protocolError!));
            var effectiveProtocol = protocol ?? TransferProtocol.Scp;

            if (!DevicePort.TryParse(input.Port, out var port, out var portError))
                errors.Add(new DeviceInputError(nameof(DeviceInput.Port), portError!));
            var effectivePort = port ?? DevicePort.DefaultFor(effectiveProtocol);
            if (port.HasValue && portError == null)
            {
                var warning = DevicePort.UnusualPortWarning(effectivePort, effectiveProtocol);
                if (warning != null) warnings.Add(warning);
            }

            var name = input.Name?.Trim() ?? "";
            if (name.Length > MaxNameLength)
                errors.Add(new DeviceInputError(nameof(DeviceInput.Name), $"The name is {name.Length} characters long; at most {MaxNameLength} are allowed."));
            else if (HasControlCharacter(name))
                errors.Add(new DeviceInputError(nameof(DeviceInput.Name), "The name contains a control character (tab, line break...)." + LineBreakHint(name)));

            var site = DeviceSite.Normalize(input.Site, out var siteError);
            if (siteError != null) errors.Add(new DeviceInputError(nameof(DeviceInput.Site), siteError));

            var userName = string.IsNullOrWhiteSpace(input.UserName) ? null : input.UserName!.Trim();
            if (userName != null && HasControlCharacter(userName))
                errors.Add(new DeviceInputError(nameof(DeviceInput.UserName), "The user name contains a control character." + LineBreakHint(userName)));
            bool hasPassword = !string.IsNullOrEmpty(input.Password);
            if (hasPassword && userName == null)
                errors.Add(new DeviceInputError(nameof(DeviceInput.Password), "A password was given without a user name; give both, or neither to supply -Credential when a command runs."));
            if (hasPassword && _protector == null)
                throw new InvalidOperationException("DeviceInputNormalizer needs an ICredentialProtector to accept passwords.");

            if (errors.Count > 0) return new DeviceInputResult(null, Prefix(errors, input.Source), warnings, hasPassword);

            var device = new NmcDevice
            {
                Host = host.Host!,
                Protocol = effectiveProtocol,
                Port = effectivePort,
                Name = name.Length == 0 ? host.Host! : name,
                Site = site,
                Added = DateTimeOffset.UtcNow,
            };
            if (hasPassword) _protector!.SetCredential(device, userName, input.Password);
            else device.UserName = userName;
            return new DeviceInputResult(device, errors, Prefix(warnings, input.Source), hasPassword);
        }

        /// <summary>Validates and returns the device, or throws <see cref="DeviceValidationException"/> with every reason.</summary>
        public NmcDevice Create(DeviceInput input)
        {
            var result = Normalize(input);
            if (!result.IsValid) throw new DeviceValidationException(input, result.Errors);
            return result.Device!;
        }

        /// <summary>
        /// A line break inside a field read from a CSV file (Import-Csv) almost always means a quote left
        /// open on that line swallowed the lines after it; say so, since the piped object cannot tell.
        /// </summary>
        private static string LineBreakHint(string value) =>
            value.IndexOf('\n') >= 0 || value.IndexOf('\r') >= 0
                ? " It holds a line break: if it came from a CSV file, a quote on that line is never closed and the lines after it were read into this field; close the quote, or use Import-NmcDevice, which reports the line and reads the rest."
                : "";

        private static bool HasControlCharacter(string s)
        {
            foreach (char c in s) if (char.IsControl(c)) return true;
            return false;
        }

        private static IReadOnlyList<DeviceInputError> Prefix(List<DeviceInputError> errors, string? source) =>
            source == null ? errors : errors.ConvertAll(e => new DeviceInputError(e.Field, $"{source}: {e.Message}"));

        private static IReadOnlyList<string> Prefix(List<string> warnings, string? source) =>
            source == null ? warnings : warnings.ConvertAll(w => $"{source}: {w}");
    }

    /// <summary>A device input was rejected; <see cref="Errors"/> says why, field by field.</summary>
    public sealed class DeviceValidationException : ArgumentException
    {
        public DeviceValidationException(DeviceInput input, IReadOnlyList<DeviceInputError> errors)
            : base(string.Join(" ", errors.ConvertAll(e => e.Message)))
        {
            Errors = errors;
            Host = input.Host;
        }

        public IReadOnlyList<DeviceInputError> Errors { get; }

        /// <summary>The host as given (for the ErrorRecord target).</summary>
        public string? Host { get; }
    }

    internal static class ListExtensions
    {
        public static List<TOut> ConvertAll<TIn, TOut>(this IReadOnlyList<TIn> list, Func<TIn, TOut> convert)
        {
            var result = new List<TOut>(list.Count);
            foreach (var item in list) result.Add(convert(item));
            return result;
        }
    }
}
