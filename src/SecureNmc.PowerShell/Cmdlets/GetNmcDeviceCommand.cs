using System.Linq;
using System.Management.Automation;
using SecureNmc.Core.Devices;
using SecureNmc.Core.Updates;
using SecureNmc.PowerShell.Infrastructure;

namespace SecureNmc.PowerShell.Cmdlets
{
    /// <summary>Lists inventory devices, filtered by name/host/site wildcards, status, application type, share of the fleet (-Partition) and hand-over (-InFlight).</summary>
    [Cmdlet(VerbsCommon.Get, "NmcDevice")]
    [OutputType(typeof(NmcDevice))]
    public sealed class GetNmcDeviceCommand : NmcCmdlet
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(DeviceNameCompleter))]
        public string[]? Name { get; set; }

        [Parameter]
        [SupportsWildcards]
        [Alias("HostName", "IPAddress", "IP", "Address")]
        public new string[]? Host { get; set; }

        /// <summary>Wildcard patterns matched against the devices' site.</summary>
        [Parameter]
        [SupportsWildcards]
        public string[]? Site { get; set; }

        /// <summary>"k/N": share k of N of the selected devices, split by a stable hash of each id.</summary>
        [Parameter]
        public string? Partition { get; set; }

        /// <summary>Inventory ids; by property name, so `$devices | Get-NmcDevice` re-reads piped devices from the store.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public System.Guid[]? Id { get; set; }

        [Parameter]
        [ArgumentCompleter(typeof(DeviceStatusCompleter))]
        public string[]? Status { get; set; }

        /// <summary>Only the cards in flight: handed over to a worker (Export-NmcBundle -HandOverTo) whose results have not come back. -InFlight:$false: only the others.</summary>
        [Parameter]
        public SwitchParameter InFlight { get; set; }

        [Parameter]
        public ApplicationType[]? ApplicationType { get; set; }

        protected override void ProcessRecord()
        {
            var filter = new DeviceFilter
            {
                Name = Name,
                Host = Host,
                Site = Site,
                Partition = ParsePartition(),
                InFlight = MyInvocation.BoundParameters.ContainsKey(nameof(InFlight)) ? InFlight.IsPresent : (bool?)null,
                Id = Id,
                Status = Status?.Select(ParseStatus).ToList(),
                ApplicationType = ApplicationType,
            };
            var all = UsingStore(() => Services.Inventory.GetAll());
            var planner = CreatePlanner();
            // The planner's status is worked out now, before -Status filters (see DeviceStatusResolver
            // for why it is computed when listing rather than stored whenever a fact changes).
            if (planner != null)
            {
                var statuses = new DeviceStatusResolver(planner);
                foreach (var device in all) statuses.Resolve(device);
            }
            // A card handed over to a worker shows In Flight and who has it, before -Status filters.
            foreach (var device in all) Core.DataExchange.DeviceHandOver.Present(device);
            var availability = new FirmwareAvailabilityView(planner);
            foreach (var device in filter.Apply(all)) WriteObject(availability.Decorate(device));
            foreach (var missing in filter.UnmatchedLiterals(all))
                WriteTargetError("DeviceNotFound", ErrorCategory.ObjectNotFound, missing,
                    $"No device named '{missing}' is in the inventory ({Services.Inventory.FilePath}).",
                    "Run Get-NmcDevice without -Name to list the devices, or Add-NmcDevice to add this one.");
        }

        /// <summary>
        /// The planner of Invoke-NmcFirmwareUpdate (firmware library and verified licences), for the
        /// status and the bell / "New" marker. A library that cannot be read costs the planner's
        /// statuses and the marker (with a warning), never the device list.
        /// </summary>
        private UpdatePlanner? CreatePlanner()
        {
            try
            {
                var firmware = new FirmwareServices(Services, LoggerFactory);
                return firmware.CreatePlanner(firmware.CreateLibrary(), out _);
            }
            catch (System.Exception ex) when (ex is System.IO.IOException || ex is System.Runtime.Serialization.SerializationException || ex is System.InvalidOperationException || ex is System.IO.InvalidDataException || ex is Core.Storage.StoreException)
            {
                WriteWarning("Update statuses are the stored ones and newer-firmware markers are not shown: the firmware library could not be read (" + ex.Message + ").");
                return null;
            }
        }

        private DevicePartition? ParsePartition()
        {
            if (Partition == null) return null;
            if (DevicePartition.TryParse(Partition, out var partition, out var error)) return partition;
            ThrowCommandError("InvalidPartition", ErrorCategory.InvalidArgument, Partition, error!);
            return null;
        }

        /// <summary>The SNS wording ("Ready for Update") or the enum name; anything else stops the command.</summary>
        private DeviceStatus ParseStatus(string text)
        {
            if (DeviceStatusText.TryParse(text, out var status)) return status;
            var known = string.Join(", ", DeviceStatusText.All.Select(s => "'" + s.ToText() + "'"));
            ThrowCommandError("UnknownStatus", ErrorCategory.InvalidArgument, text, $"'{text}' is not a device status. Use one of: {known}.");
            return default;
        }
    }
}
