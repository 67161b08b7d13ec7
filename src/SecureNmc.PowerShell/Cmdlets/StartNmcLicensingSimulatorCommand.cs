using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Security;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Licensing;
using SecureNmc.Core.Settings;
using SecureNmc.PowerShell.Infrastructure;
using SecureNmc.Simulator.Licensing;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>
    /// Starts the simulated licensing service in this process on loopback, seeded for rehearsals, and
    /// (unless -SkipConfiguration) points the LicensingEndpoint and LicensingServiceKey settings at it.
    /// Piped devices become cards the simulated vendor sold, on -PurchaseDate.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "NmcLicensingSimulator", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(LicensingSimulatorInfo))]
    public sealed class StartNmcLicensingSimulatorCommand : NmcCmdlet
    {
        private DeviceArguments? _arguments;
        private readonly List<NmcDevice> _devices = new List<NmcDevice>();
        private bool _devicesNamed;

        /// <summary>Inventory devices to register as cards sold by the simulated vendor (they must have been queried).</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [Alias("Name")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public NmcDevicePipeBind[]? Device { get; set; }

        /// <summary>When the -Device cards were bought: from 1 April 2024 they carry the included 1-year subscription.</summary>
        [Parameter]
        public DateTime? PurchaseDate { get; set; }

        /// <summary>Leave the LicensingEndpoint and LicensingServiceKey settings unchanged.</summary>
        [Parameter]
        public SwitchParameter SkipConfiguration { get; set; }

        protected override void ProcessRecord()
        {
            if (Device == null) return;
            _devicesNamed = true;
            _arguments ??= new DeviceArguments(UsingStore(() => Services.Inventory.GetAll()));
            foreach (var argument in Device)
                _devices.AddRange(ResolveOrReport(_arguments, argument, "Check the name with Get-NmcDevice."));
        }

        protected override void EndProcessing()
        {
            // Devices were named but none is in the inventory (each already reported): a simulator
            // that knows none of them would only re-point the licensing settings for nothing.
            if (_devicesNamed && _devices.Count == 0) { base.EndProcessing(); return; }

            // Default: bought a month ago, so the cards hold an included subscription to find.
            var purchased = (PurchaseDate ?? DateTime.UtcNow.Date.AddDays(-30)).Date;
            var action = "Start a simulated licensing service on 127.0.0.1" +
                (_devices.Count > 0 ? $" that knows {_devices.Count} inventory card(s) bought on {purchased:yyyy-MM-dd}" : "") +
                (SkipConfiguration ? "" : ", and set LicensingEndpoint and LicensingServiceKey to it (Stop-NmcLicensingSimulator restores them)");
            if (!ShouldProcess("licensing simulator", action)) { base.EndProcessing(); return; }

            var database = new EntitlementDatabase();
            LicensingRehearsal.Seed(database);
            var cards = new List<string> { LicensingRehearsal.IncludedSmartUpsSerial, LicensingRehearsal.OldPduSerial };
            foreach (var device in _devices)
            {
                try
                {
                    var card = CardIdentity.FromDevice(device);
                    if (card.Mac.Length == 0) throw new ArgumentException("its MAC address is unknown");
                    database.AddCard(card.Serial, card.Mac, purchased);
                    cards.Add(card.Serial);
                }
                catch (Exception ex) when (ex is LicensingException || ex is ArgumentException)
                {
                    WriteTargetError("CardNotQueried", ErrorCategory.InvalidData, device,
                        $"{device.DisplayName} cannot be registered with the licensing simulator: {ex.Message}",
                        "Query the device first so its serial number, MAC address and application type are known.");
                }
            }

            var host = new LicensingServiceHost(database, LicenceSigner.CreateNew(), SystemLicensingClock.Instance);
            LicensingSimulators.Running? running = null;
            try
            {
                var id = LicensingSimulators.NextId();
                var serviceKey = host.PublicKey.ToBase64();
                var info = new LicensingSimulatorInfo(id, host.Endpoint, serviceKey, host.PublicKey.KeyId,
                    new PSCredential(LicensingRehearsal.UserName, ToSecureString(LicensingRehearsal.Password)),
                    ToSecureString(database.IssueToken(LicensingRehearsal.UserName, DateTimeOffset.UtcNow)),
                    Enumerable.Range(1, 6).SelectMany(y => new[] { LicensingRehearsal.ActivationId("SU", y), LicensingRehearsal.ActivationId("PDU", y), LicensingRehearsal.ActivationId("EU1P", y) })
                        .OrderBy(s => s, StringComparer.Ordinal).ToList(),
                    cards, settingsApplied: !SkipConfiguration);
                running = new LicensingSimulators.Running(host, info);
                if (!SkipConfiguration)
                {
                    UsingStore(() => Services.Settings.Update(s =>
                    {
                        running.PreviousEndpoint = s.IsSet(SettingDefinition.LicensingEndpoint) ? s.LicensingEndpoint : null;
                        running.PreviousServiceKey = s.IsSet(SettingDefinition.LicensingServiceKey) ? s.LicensingServiceKey : null;
                        s.LicensingEndpoint = host.Endpoint.AbsoluteUri;
                        s.LicensingServiceKey = serviceKey;
                    }));
                    WriteVerbose($"LicensingEndpoint = {host.Endpoint}, LicensingServiceKey = {serviceKey} (key {host.PublicKey.KeyId}).");
                }
                LicensingSimulators.Add(running);
                WriteObject(info);
            }
            catch
            {
                host.Dispose();
                throw;
            }
            base.EndProcessing();
        }

        private static SecureString ToSecureString(string text)
        {
            var secure = new SecureString();
            foreach (var c in text) secure.AppendChar(c);
            secure.MakeReadOnly();
            return secure;
        }
    }
}
