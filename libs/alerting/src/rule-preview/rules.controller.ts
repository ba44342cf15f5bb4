import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '@homeward/identity';
import { type Principal } from '@homeward/access';
import { RulePreviewRequestDto, RulePreviewResponseDto } from './rule-preview.dto';
import { RulePreviewService } from './rule-preview.service';

@ApiTags('rules')
@ApiBearerAuth()
@Controller('rules')
export class RulesController {
  constructor(private readonly previews: RulePreviewService) {}

  @Post('preview')
  @HttpCode(200)
  @ApiOkResponse({
    type: RulePreviewResponseDto,
    description: 'What the rule would have raised over the last `days`',
  })
  @ApiBadRequestResponse({
    description: 'A rule that cannot be evaluated, with each problem (`code: invalid_rule`)',
  })
  preview(
    @CurrentPrincipal() principal: Principal,
    @Body() body: RulePreviewRequestDto,
  ): Promise<RulePreviewResponseDto> {
    return this.previews.preview(principal, body);
  }
}
