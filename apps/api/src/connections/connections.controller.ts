import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiTags, ApiUnprocessableEntityResponse } from '@nestjs/swagger';
import { ConnectorRegistry, describeManifest } from '@crossdock/connector-sdk';
import { SYNC_SERVICES, type ConnectionView, type SyncServices } from '@crossdock/sync';
import { CreateConnectionDto, UpdateConnectionDto } from './connection.dto';

@ApiTags('connectors')
@Controller()
export class ConnectionsController {
  constructor(
    @Inject(SYNC_SERVICES) private readonly sync: SyncServices,
    private readonly registry: ConnectorRegistry,
  ) {}

  @Get('connectors')
  @ApiOkResponse({ description: 'Every connector kind with its streams, actions, events and config schema (secret fields marked)' })
  listConnectors() {
    return this.registry.list().map((runtime) => describeManifest(runtime.manifest));
  }

  @Get('connections')
  @ApiOkResponse({ description: 'Connections with secret fields redacted' })
  list(): Promise<ConnectionView[]> {
    return this.sync.connections.list();
  }

  @Post('connections')
  @ApiCreatedResponse({ description: 'Created; secret fields are redacted in the answer' })
  @ApiUnprocessableEntityResponse({ description: 'Unknown kind or invalid config: each issue names its field' })
  create(@Body() body: CreateConnectionDto): Promise<ConnectionView> {
    return this.sync.connections.create(body);
  }

  @Patch('connections/:name')
  update(@Param('name') name: string, @Body() body: UpdateConnectionDto): Promise<ConnectionView> {
    return this.sync.connections.update(name, body);
  }

  @Delete('connections/:name')
  @HttpCode(204)
  async remove(@Param('name') name: string): Promise<void> {
    await this.sync.connections.remove(name);
  }

  @Post('connections/:name/check')
  @HttpCode(200)
  @ApiOkResponse({ description: "The connector's own connection test" })
  async check(@Param('name') name: string) {
    const connection = await this.sync.connections.open(name);
    return this.registry.get(connection.kind).check(connection.config);
  }
}
