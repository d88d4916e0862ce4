using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace RemoteIt
{
    /// <summary>
    /// A device of an account, as <see cref="Client.ListDevices"/> found it: plain values, copied
    /// out of the library.
    /// </summary>
    public sealed class Device
    {
        internal Device(string id, string name, string state, bool online, IList<Service> services)
        {
            Id = id;
            Name = name;
            State = state;
            Online = online;
            Services = new ReadOnlyCollection<Service>(services);
        }

        /// <summary>The device id, e.g. <c>80:00:00:00:01:00:00:01</c>.</summary>
        public string Id { get; }

        /// <summary>The device name; empty when the API gave none.</summary>
        public string Name { get; }

        /// <summary>The device state as the API gives it: <c>active</c> or <c>inactive</c>.</summary>
        public string State { get; }

        /// <summary>Whether the device is online.</summary>
        public bool Online { get; }

        /// <summary>The device's services, in the API's order (read-only).</summary>
        public IList<Service> Services { get; }

        /// <summary>The name and id, for display.</summary>
        /// <returns><c>name (id)</c>.</returns>
        public override string ToString()
        {
            return Name + " (" + Id + ")";
        }
    }

    /// <summary>
    /// A service of a <see cref="Device"/>: what <see cref="Client.Connect"/> connects to, by its
    /// <see cref="Id"/>. Plain values, copied out of the library.
    /// </summary>
    public sealed class Service
    {
        internal Service(string id, string name, int? application, int? port)
        {
            Id = id;
            Name = name;
            Application = application;
            Port = port;
        }

        /// <summary>The service id, for <see cref="Client.Connect"/>.</summary>
        public string Id { get; }

        /// <summary>The service name (<c>SSH</c>, <c>Web admin</c>...); empty when the API gave none.</summary>
        public string Name { get; }

        /// <summary>The application type id (28 is SSH, 8 HTTPS, ...); null when the API gave none.</summary>
        public int? Application { get; }

        /// <summary>The service's port on its device; null when the API gave none.</summary>
        public int? Port { get; }

        /// <summary>The name and id, for display.</summary>
        /// <returns><c>name (id)</c>.</returns>
        public override string ToString()
        {
            return Name + " (" + Id + ")";
        }
    }
}
