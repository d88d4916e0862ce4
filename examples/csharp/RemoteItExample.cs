// A small Remote.It client on the .NET binding (bindings/csharp): loads a credentials file,
// lists the account's devices and services, connects to a service, prints where to reach it
// and disconnects again. Failures are caught by family (CredentialsException, AuthException,
// then any RemoteItException).
//
// Try it against the local API double with the demo credentials (from the repository root):
//
//     examples/csharp/run.sh [SERVICE_ID]
//
// which builds libremoteit, compiles RemoteIt.dll and this file with Mono's mcs, starts
// tests/api_double.py with examples/demo/credentials, runs this program and stops the double.
// Against the real API, leave out --api-url:
//
//     mono remoteit-example.exe [--profile NAME] [--api-url URL] CREDENTIALS_FILE [SERVICE_ID]
//
// On .NET, System.Text.Json would read the answer; Mono's base install has no JSON library,
// hence the few lines of MiniJson below.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using RemoteIt;

internal static class RemoteItExample
{
    private const string DevicesQuery =
        "{ login { devices(size: 10) { total items { id name services { id name } } } } }";

    private static int Main(string[] args)
    {
        string profile = null;
        string apiUrl = null;
        List<string> positional = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--profile" && i + 1 < args.Length)
            {
                profile = args[++i];
            }
            else if (args[i] == "--api-url" && i + 1 < args.Length)
            {
                apiUrl = args[++i];
            }
            else
            {
                positional.Add(args[i]);
            }
        }
        if (positional.Count < 1 || positional.Count > 2)
        {
            Console.Error.WriteLine("usage: remoteit-example [--profile NAME] [--api-url URL] CREDENTIALS_FILE [SERVICE_ID]");
            return 2;
        }

        try
        {
            using (Credentials credentials = Credentials.Load(positional[0], profile))
            using (Client client = new Client(credentials, apiUrl))
            {
                Console.WriteLine("libremoteit {0}, access key {1}", Library.Version, credentials.AccessKeyId);

                object devices = MiniJson.At(MiniJson.Parse(client.GraphQL(DevicesQuery)), "login", "devices");
                List<object> items = (List<object>)MiniJson.At(devices, "items");
                Console.WriteLine("{0} devices (showing {1}):", MiniJson.At(devices, "total"), items.Count);
                string firstService = null;
                foreach (object device in items)
                {
                    Console.WriteLine("  {0}  {1}", MiniJson.At(device, "id"), MiniJson.At(device, "name"));
                    foreach (object service in (List<object>)MiniJson.At(device, "services"))
                    {
                        Console.WriteLine("      service {0}  {1}", MiniJson.At(service, "id"), MiniJson.At(service, "name"));
                        firstService = firstService ?? (string)MiniJson.At(service, "id");
                    }
                }

                string serviceId = positional.Count == 2 ? positional[1] : firstService;
                if (serviceId == null)
                {
                    Console.Error.WriteLine("the account has no service to connect to");
                    return 1;
                }
                Connection connection = client.Connect(serviceId);
                if (connection.Port.HasValue)
                {
                    Console.WriteLine("connected to {0}: host {1}, port {2}", serviceId, connection.Host, connection.Port.Value);
                }
                else
                {
                    Console.WriteLine("connected to {0}: open {1}", serviceId, connection.Url);
                }
                client.Disconnect(connection.Id);
                Console.WriteLine("disconnected {0}", connection.Id);
                return 0;
            }
        }
        catch (CredentialsException e)
        {
            Console.Error.WriteLine("{0}: {1}\n(check the credentials file and the profile name)", e.CodeName, e.Message);
            return 1;
        }
        catch (AuthException e)
        {
            Console.Error.WriteLine("{0}: {1}\n(the API refused the key: check it, and this computer's clock)", e.CodeName, e.Message);
            return 1;
        }
        catch (RemoteItException e)
        {
            Console.Error.WriteLine("{0}: {1}", e.CodeName, e.Message);
            return 1;
        }
    }
}

/// <summary>Just enough JSON for the answers above: objects, arrays, strings, numbers, literals.</summary>
internal sealed class MiniJson
{
    private readonly string text;
    private int position;

    private MiniJson(string text)
    {
        this.text = text;
    }

    /// <summary>The value of a JSON text: Dictionary, List, string, double, bool or null.</summary>
    internal static object Parse(string text)
    {
        return new MiniJson(text).Value();
    }

    /// <summary>Follows object keys from <paramref name="value"/>.</summary>
    internal static object At(object value, params string[] keys)
    {
        foreach (string key in keys)
        {
            value = ((Dictionary<string, object>)value)[key];
        }
        return value;
    }

    private object Value()
    {
        SkipSpace();
        char c = text[position];
        if (c == '{')
        {
            Dictionary<string, object> members = new Dictionary<string, object>();
            position++;
            while (More('}'))
            {
                string key = (string)Value();
                SkipSpace();
                position++; // ':'
                members[key] = Value();
            }
            return members;
        }
        if (c == '[')
        {
            List<object> elements = new List<object>();
            position++;
            while (More(']'))
            {
                elements.Add(Value());
            }
            return elements;
        }
        if (c == '"')
        {
            StringBuilder s = new StringBuilder();
            for (position++; text[position] != '"'; position++)
            {
                if (text[position] != '\\')
                {
                    s.Append(text[position]);
                    continue;
                }
                char e = text[++position];
                if (e == 'u')
                {
                    s.Append((char)int.Parse(text.Substring(position + 1, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                    position += 4;
                }
                else
                {
                    s.Append(e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e == 'b' ? '\b' : e == 'f' ? '\f' : e);
                }
            }
            position++;
            return s.ToString();
        }
        int start = position;
        while (position < text.Length && ",:}] \t\r\n".IndexOf(text[position]) < 0)
        {
            position++;
        }
        string word = text.Substring(start, position - start);
        if (word == "true" || word == "false")
        {
            return word == "true";
        }
        return word == "null" ? null : (object)double.Parse(word, CultureInfo.InvariantCulture);
    }

    // Before the next member or element: false (and past it) at the closing bracket, else
    // true (and past a separating comma).
    private bool More(char close)
    {
        SkipSpace();
        if (text[position] == close)
        {
            position++;
            return false;
        }
        if (text[position] == ',')
        {
            position++;
        }
        return true;
    }

    private void SkipSpace()
    {
        while (char.IsWhiteSpace(text[position]))
        {
            position++;
        }
    }
}
